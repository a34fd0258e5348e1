package org.asynctask.exporter.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.asynctask.exporter.provider.huawei.FunctionGraphProvider;

/** Huawei FunctionGraph (ListFunctionAsyncInvocations, and the function listing for discovery). */
public final class SimulatedFunctionGraph extends SimulatedApi {
    /** The simulated project (account), its demo access key and an IAM token it accepts. */
    public static final String PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

    public static final String REGION = "cn-north-4";
    public static final String AK = "HWSIMULATORDEMOAK000";
    private static final String SK = "simulator-demo-huawei-sk-00000000000000";
    public static final String TOKEN = "simulator-demo-iam-token";
    /** The simulated functions, package/name, all version latest. */
    public static final List<String> FUNCTIONS = List.of("default/resize", "default/notify");
    /** Each function starts with tasks begun this long ago, still running: beyond the API's one-hour default. */
    public static final Duration BACKDATED_AGE = Duration.ofHours(2);

    private final HuaweiSimulator handler;

    SimulatedFunctionGraph(Setting setting) {
        super(setting);
        this.handler = new HuaweiSimulator(
                setting.engine(),
                setting.population().keys(AK, SK),
                TOKEN,
                PROJECT,
                REGION,
                setting.clock(),
                setting.faults());
    }

    @Override
    public String providerId() {
        return FunctionGraphProvider.ID;
    }

    @Override
    String contextPath() {
        return "/v2/";
    }

    @Override
    ApiHandler handler() {
        return handler;
    }

    @Override
    String secretFile() {
        return "huawei-demo.secret";
    }

    @Override
    String secret() {
        return SK;
    }

    @Override
    void addDemoFunctions() {
        for (String name : FUNCTIONS) {
            String[] pf = name.split("/");
            FunctionSim f =
                    engine.addFunction(providerId(), pf[0], pf[1], List.of("latest"), new HuaweiLifecycle(), profile);
            // They finish 8 s into the run, or sooner with a quick profile, so that tests need not wait for them.
            Duration finishAfter = profile.longTask().multipliedBy(2).compareTo(Duration.ofSeconds(8)) < 0
                    ? profile.longTask().multipliedBy(2)
                    : Duration.ofSeconds(8);
            engine.addBackdatedTasks(f, 2, BACKDATED_AGE, finishAfter);
        }
    }

    @Override
    void addLargeAccountFunction(int i) {
        engine.addFunction(
                providerId(),
                "default",
                SimPopulation.function(null, i),
                List.of("latest"),
                new HuaweiLifecycle(),
                profile);
    }

    private SimulatorConfigs.Account account(Path secret) {
        return new SimulatorConfigs.Account(providerId(), PROJECT, REGION, AK, secret);
    }

    @Override
    void demoSources(SimulatorConfigs.Blocks out, Path secret) {
        out.source(
                "huawei-demo",
                "Huawei FunctionGraph, AK/SK signing. The look-back covers tasks started two hours ago.",
                account(secret),
                "functions",
                "default/resize,default/notify",
                "initial-lookback",
                "3h");
    }

    @Override
    void scaleSource(SimulatorConfigs.Blocks out, int s, SimPopulation population, Path secret) {
        out.scaleSource(
                "huawei",
                s,
                account(secret),
                population.functionsOfSource(null, s).stream()
                        .map(f -> "default/" + f)
                        .toList());
    }

    /** Listings that came without query_begin_time (the API then shows only the last hour). */
    public long requestsWithoutBeginTime() {
        return handler.requestsWithoutBeginTime();
    }
}
