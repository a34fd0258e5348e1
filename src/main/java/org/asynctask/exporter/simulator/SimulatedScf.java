package org.asynctask.exporter.simulator;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.asynctask.exporter.provider.tencent.ScfProvider;

/** Tencent SCF (ListAsyncEvents, and ListNamespaces and ListFunctions for discovery), on API 3.0. */
public final class SimulatedScf extends SimulatedApi {
    /** The simulated account: region, demo SecretId, functions (namespace/name), time zone of its strings. */
    public static final String APP_ID = "1250000000";

    public static final String REGION = "ap-guangzhou";
    public static final String SECRET_ID = "AKIDsimulatordemo000000000000000";
    private static final String SECRET_KEY = "simulator-demo-tencent-secret-key0000";
    public static final List<String> FUNCTIONS = List.of("default/report", "jobs/etl");
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** A large account's namespaces: {@code ns-001} … */
    static final String NAMESPACE = "ns";

    private final TencentSimulator handler;

    SimulatedScf(Setting setting) {
        super(setting);
        this.handler = new TencentSimulator(
                setting.engine(),
                setting.population().keys(SECRET_ID, SECRET_KEY),
                ZONE,
                setting.clock(),
                setting.faults());
    }

    @Override
    public String providerId() {
        return ScfProvider.ID;
    }

    /** API 3.0 posts to "/": the catch-all context. */
    @Override
    String contextPath() {
        return "/";
    }

    @Override
    ApiHandler handler() {
        return handler;
    }

    @Override
    String secretFile() {
        return "tencent-demo.secret";
    }

    @Override
    String secret() {
        return SECRET_KEY;
    }

    @Override
    void addDemoFunctions() {
        for (String name : FUNCTIONS) {
            String[] nf = name.split("/");
            engine.addFunction(providerId(), nf[0], nf[1], List.of("$LATEST"), new ScfLifecycle(), profile);
        }
    }

    @Override
    void addLargeAccountFunction(int i) {
        String[] nf = SimPopulation.function(NAMESPACE, i).split("/");
        engine.addFunction(providerId(), nf[0], nf[1], List.of("$LATEST"), new ScfLifecycle(), profile);
    }

    private SimulatorConfigs.Account account(Path secret) {
        return new SimulatorConfigs.Account(providerId(), APP_ID, REGION, SECRET_ID, secret);
    }

    @Override
    void demoSources(SimulatorConfigs.Blocks out, Path secret) {
        out.source(
                "tencent-demo",
                "Tencent SCF, TC3 signing, at most 20 requests per second for this SecretId (the default).",
                account(secret),
                "functions",
                "default/report,jobs/etl",
                "time-zone",
                ZONE.getId());
    }

    @Override
    void scaleSource(SimulatorConfigs.Blocks out, int s, SimPopulation population, Path secret) {
        out.scaleSource(
                "tencent", s, account(secret), population.functionsOfSource(NAMESPACE, s), "time-zone", ZONE.getId());
    }

    /** The most requests accepted from one SecretId within any one second. */
    public int busiestSecond() {
        return handler.maxRequestsPerSecond();
    }

    /** Requests refused with RequestLimitExceeded (more than 20 per second for one SecretId). */
    public long rateLimited() {
        return handler.rateLimited();
    }
}
