package org.asynctask.exporter.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.asynctask.exporter.app.ExporterApp;
import org.asynctask.exporter.app.Providers;
import org.asynctask.exporter.config.Durations;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.config.SinkKind;
import org.asynctask.exporter.config.StoreKind;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatorServer;

/**
 * {@code demo}: the simulators and an exporter polling them in one process, into files (or Kafka), for a
 * duration or until Ctrl-C; then a summary of what was written.
 */
final class DemoCommand {
    private DemoCommand() {}

    static int run(Map<String, String> options, PrintStream out) throws Exception {
        Duration duration = options.containsKey("--duration") ? duration(options.get("--duration")) : null;
        Path dataDir = Path.of(options.getOrDefault("--data-dir", "data"));
        for (String sub : List.of("events", "checkpoints", "simulator")) {
            deleteTree(dataDir.resolve(sub));
        }
        // A Kafka topic outlives the demo: a seed per run keeps two demos' task ids apart there.
        long seed = options.containsKey("--seed") || !"kafka".equals(options.get("--sink"))
                ? CliOptions.seed(options)
                : System.currentTimeMillis() % 1_000_000;
        Clock clock = Clock.systemUTC();
        try (StopSignal stop = StopSignal.install();
                SimulatorServer sim = SimulatorServer.start(0, dataDir, SimProfile.demo(seed), clock)) {
            ExporterConfig config = ExporterConfig.parse(
                    demoConfig(sim.exporterConfig(), options), System::getenv, Providers.catalog());
            String destination = config.sink() == SinkKind.KAFKA
                    ? "Kafka topic " + config.kafka().topic() + " at "
                            + config.kafka().bootstrapServers() + (config.exactlyOnce() ? " (exactly-once)" : "")
                    : config.outputDir().toString();
            out.println("demo: simulators on " + sim.baseUrl() + " (seed " + seed + "); events -> " + destination
                    + (duration == null
                            ? "; Ctrl-C to stop"
                            : "; stopping after " + Durations.format(duration) + " or on Ctrl-C"));
            out.flush();
            ExporterApp app = new ExporterApp(config, clock);
            if (!options.containsKey("--metrics-port")) {
                app.fallBackToAnyFreeMetricsPort();
            }
            try (app) {
                app.start();
                if (app.metricsPort() > 0) {
                    String url = "http://localhost:" + app.metricsPort();
                    out.println("demo: metrics on " + url + "/metrics, health on " + url + "/health, status on " + url
                            + "/status");
                    out.flush();
                }
                stop.await(duration);
            }
            // Read after close: the polls still in flight at the stop finish during it.
            long events = app.stats().events.get();
            long calls = app.stats().apiCalls.get();
            long transitions;
            try (Stream<String> lines = Files.lines(sim.transitions())) {
                transitions = lines.count();
            }
            out.printf(
                    "demo: done. %d events written to %s, %d API calls, checkpoints in %s; "
                            + "the simulator made %d transitions (%s)%n",
                    events,
                    destination,
                    calls,
                    config.checkpointStore() == StoreKind.KAFKA
                            ? "topic " + config.kafka().checkpointTopic()
                            : config.checkpointDir().toString(),
                    transitions,
                    sim.transitions());
            out.flush();
        }
        return 0;
    }

    /** The simulator's configuration, switched to Kafka when the demo options say so. */
    private static Map<String, String> demoConfig(Path simulatorConfig, Map<String, String> options) {
        Map<String, String> raw = ExporterConfig.read(simulatorConfig);
        String sink = options.getOrDefault("--sink", "file");
        String delivery = options.getOrDefault("--delivery", "at-least-once");
        if (sink.equals("kafka")) {
            String bootstrap = options.get("--bootstrap-servers");
            if (bootstrap == null) {
                throw new Cli.UsageException("--sink kafka needs --bootstrap-servers HOST:PORT");
            }
            raw.put("exporter.sink", "kafka");
            raw.put("exporter.kafka.bootstrap-servers", bootstrap);
            if (delivery.equals("exactly-once")) {
                // A topic per demo run: a new demo's simulator starts a new world, old checkpoints would not fit it.
                String run = Long.toString(System.currentTimeMillis());
                raw.put("exporter.delivery", "exactly-once");
                raw.put("exporter.checkpoint.store", "kafka");
                raw.put("exporter.checkpoint.topic", "async-tasks.checkpoints.demo-" + run);
                raw.put("exporter.kafka.transactional-id", "async-task-exporter-demo-" + run);
            }
        } else if (!sink.equals("file")) {
            throw new Cli.UsageException("--sink: '" + sink + "' is not file or kafka");
        }
        if (!delivery.equals("at-least-once") && !(delivery.equals("exactly-once") && sink.equals("kafka"))) {
            throw new Cli.UsageException("--delivery: exactly-once needs --sink kafka; at-least-once is the default");
        }
        CliOptions.metricsPort(raw, options);
        return raw;
    }

    private static Duration duration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException("--duration: " + e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
