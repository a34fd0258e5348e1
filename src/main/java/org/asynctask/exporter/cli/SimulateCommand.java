package org.asynctask.exporter.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.asynctask.exporter.simulator.Faults;
import org.asynctask.exporter.simulator.SimPopulation;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatorServer;

/** {@code simulate}: the provider simulators, until stopped, with the exporter configuration that polls them. */
final class SimulateCommand {
    private SimulateCommand() {}

    static int run(Map<String, String> options, PrintStream out) throws InterruptedException {
        Path dataDir = Path.of(options.getOrDefault("--data-dir", "data"));
        Faults faults;
        SimProfile profile;
        SimPopulation population;
        try {
            faults = options.containsKey("--faults")
                    ? Faults.parse(options.get("--faults"), CliOptions.seed(options))
                    : Faults.none();
            population = options.containsKey("--functions")
                    ? SimPopulation.functions(CliOptions.intOption(options, "--functions", 0))
                    : SimPopulation.DEMO;
            profile = SimProfile.named(
                    options.getOrDefault("--profile", population.isDemo() ? "demo" : "scale"),
                    CliOptions.seed(options));
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException(e.getMessage());
        }
        // The signal closes last: the JVM waits until the simulators are closed and the ground truth is flushed.
        try (StopSignal stop = StopSignal.install();
                SimulatorServer sim = SimulatorServer.start(
                        CliOptions.intOption(options, "--port", 0),
                        dataDir,
                        profile,
                        Clock.systemUTC(),
                        faults,
                        population)) {
            out.println("simulators listening on " + sim.baseUrl());
            out.println("exporter config:  " + sim.exporterConfig());
            out.println("ground truth:     " + sim.transitions());
            out.flush();
            stop.await(null);
        }
        return 0;
    }
}
