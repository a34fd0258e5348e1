package org.asynctask.exporter.simulator;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.provider.fc3.Fc3Provider;

/** Function Compute 3.0 (ListAsyncTasks). */
public final class SimulatedFc3 extends SimulatedAlibaba {
    /** The simulated functions: name and qualifiers their tasks are invoked with. */
    public static final Map<String, List<String>> FUNCTIONS = Map.of(
            "orders", List.of("LATEST"),
            "thumbnails", List.of("LATEST"),
            "reports", List.of("prod"));

    SimulatedFc3(Setting setting) {
        super(AlibabaDialect.FC3, setting);
    }

    @Override
    public String providerId() {
        return Fc3Provider.ID;
    }

    @Override
    String contextPath() {
        return "/2023-03-30/";
    }

    @Override
    void addDemoFunctions() {
        FUNCTIONS.keySet().stream()
                .sorted()
                .forEach(name -> engine.addFunction(
                        providerId(), null, name, FUNCTIONS.get(name), new AlibabaLifecycle(true), profile));
    }

    @Override
    void addLargeAccountFunction(int i) {
        engine.addFunction(
                providerId(),
                null,
                SimPopulation.function(null, i),
                List.of("LATEST"),
                new AlibabaLifecycle(true),
                profile);
    }

    @Override
    void demoSources(SimulatorConfigs.Blocks out, Path secret) {
        out.source("fc3-demo", null, account(secret), "functions", "orders,thumbnails,reports:prod");
    }

    @Override
    void scaleSource(SimulatorConfigs.Blocks out, int s, SimPopulation population, Path secret) {
        out.scaleSource("fc3", s, account(secret), population.functionsOfSource(null, s));
    }
}
