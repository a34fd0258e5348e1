package org.asynctask.exporter.simulator;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.provider.fc2.Fc2Provider;

/** Function Compute 2.0 (ListStatefulAsyncInvocations, and ListStatefulAsyncInvocationFunctions for discovery). */
public final class SimulatedFc2 extends SimulatedAlibaba {
    /** The simulated functions: service/function and qualifiers. The demo lists billing's, discovers media's. */
    public static final Map<String, List<String>> FUNCTIONS = Map.of(
            "billing/invoice", List.of("LATEST"),
            "billing/refund", List.of("LATEST"),
            "media/transcode", List.of("prod"));
    /** A large account's services: {@code svc-001} … */
    static final String SERVICE = "svc";

    SimulatedFc2(Setting setting) {
        super(AlibabaDialect.FC2, setting);
    }

    @Override
    public String providerId() {
        return Fc2Provider.ID;
    }

    @Override
    String contextPath() {
        return "/2021-04-06/";
    }

    @Override
    void addDemoFunctions() {
        FUNCTIONS.keySet().stream().sorted().forEach(name -> {
            String[] sf = name.split("/");
            engine.addFunction(providerId(), sf[0], sf[1], FUNCTIONS.get(name), new AlibabaLifecycle(false), profile);
        });
    }

    @Override
    void addLargeAccountFunction(int i) {
        String[] sf = SimPopulation.function(SERVICE, i).split("/");
        engine.addFunction(providerId(), sf[0], sf[1], List.of("LATEST"), new AlibabaLifecycle(false), profile);
    }

    @Override
    void demoSources(SimulatorConfigs.Blocks out, Path secret) {
        out.source(
                "fc2-billing",
                "FC 2.0, functions listed, FC signature (the default for non-Alibaba endpoints).",
                account(secret),
                "functions",
                "billing/invoice,billing/refund");
        out.source(
                "fc2-media",
                "FC 2.0, functions discovered (only service media), ACS3 signature.",
                account(secret),
                "discover",
                "true",
                "include",
                "media/*",
                "discovery-interval",
                "10s",
                "signature",
                "acs3");
    }

    @Override
    void scaleSource(SimulatorConfigs.Blocks out, int s, SimPopulation population, Path secret) {
        out.scaleSource("fc2", s, account(secret), population.functionsOfSource(SERVICE, s));
    }

    /** A new function with async tasks, found by discovery from now on. */
    public void addFunction(String service, String function, List<String> qualifiers) {
        engine.addFunction(providerId(), service, function, qualifiers, new AlibabaLifecycle(false), profile);
    }

    /** A function that goes away: no longer listed, and its tasks no longer answered. */
    public void removeFunction(String service, String function) {
        engine.removeFunction(providerId(), service, function);
    }
}
