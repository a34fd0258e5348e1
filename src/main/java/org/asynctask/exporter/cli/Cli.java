package org.asynctask.exporter.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
import org.asynctask.exporter.config.ConfigException;
import org.asynctask.exporter.config.Durations;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.config.SinkKind;
import org.asynctask.exporter.config.StoreKind;
import org.asynctask.exporter.secret.Redaction;
import org.asynctask.exporter.simulator.Faults;
import org.asynctask.exporter.simulator.SimPopulation;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatorServer;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code java -jar async-task-exporter.jar <run|simulate|status|checkpoints|backfill|demo|completion> [options]}:
 * the commands, parsed with {@link CommandTable}. Exit 0 ok, 2 bad usage or config, 1 failure.
 */
public final class Cli {
    private Cli() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0 || !(args.length > 0 && args[0].equals("run"))) {
            System.exit(code);
        }
    }

    /** Runs a command; returns its exit code instead of exiting, so tests can call it. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine line = CommandTable.build();
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        String command = "";
        try {
            ParseResult parsed;
            try {
                parsed = line.parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                command = CommandTable.path(e.getCommandLine());
                throw new UsageException(CommandTable.explain(e));
            }
            if (CommandLine.printHelpIfRequested(parsed)) {
                return 0;
            }
            ParseResult chosen = parsed.subcommand();
            if (chosen == null) {
                // No command at all: the overview, on stderr, as a usage error.
                line.usage(err);
                return 2;
            }
            command = chosen.commandSpec().name();
            Map<String, String> options = CommandTable.values(chosen);
            return switch (command) {
                case "run" ->
                    runExporter(Path.of(options.getOrDefault("--config", "config/application.properties")), options);
                case "simulate" -> simulate(options, out);
                case "demo" -> demo(options, out);
                case "backfill" -> BackfillCommand.run(options, out);
                case "status" -> StatusCommand.run(options.getOrDefault("--url", "http://localhost:9876"), out);
                case "checkpoints" -> checkpoints(chosen, out);
                case "completion" -> {
                    out.print(AutoComplete.bash(CommandTable.NAME, line));
                    yield 0;
                }
                default -> throw new IllegalStateException("no such command in the table: " + command);
            };
        } catch (UsageException e) {
            // One line and where to look: the whole help would bury the line that matters.
            err.println("error: " + e.getMessage());
            err.println(CommandTable.SEE_HELP + (command.isEmpty() ? "" : command + " ") + "--help");
            return 2;
        } catch (ConfigException e) {
            err.println("configuration error: " + Redaction.scrub(e.getMessage()));
            return 2;
        } catch (Exception e) {
            err.println("error: " + Redaction.scrub(e.getMessage()));
            return 1;
        }
    }

    private static int checkpoints(ParseResult checkpoints, PrintStream out) {
        ParseResult sub = checkpoints.subcommand();
        if (sub == null) {
            throw new UsageException("checkpoints needs list, show, reset, delete or migrate");
        }
        return CheckpointsCommand.run(
                sub.commandSpec().name(), sub.matchedPositionalValue(0, null), CommandTable.values(sub), out);
    }

    private static int runExporter(Path configFile, Map<String, String> options) throws Exception {
        Map<String, String> raw = ExporterConfig.read(configFile);
        metricsPort(raw, options);
        ExporterConfig config = ExporterConfig.parse(raw, System::getenv, Providers.catalog());
        try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
            app.runUntilStopped();
        }
        return 0;
    }

    private static int simulate(Map<String, String> options, PrintStream out) throws InterruptedException {
        Path dataDir = Path.of(options.getOrDefault("--data-dir", "data"));
        Faults faults;
        SimProfile profile;
        SimPopulation population;
        try {
            faults = options.containsKey("--faults")
                    ? Faults.parse(options.get("--faults"), seed(options))
                    : Faults.none();
            population = options.containsKey("--functions")
                    ? SimPopulation.functions(intOption(options, "--functions", 0))
                    : SimPopulation.DEMO;
            profile = SimProfile.named(
                    options.getOrDefault("--profile", population.isDemo() ? "demo" : "scale"), seed(options));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        // The signal closes last: the JVM waits until the simulators are closed and the ground truth is flushed.
        try (StopSignal stop = StopSignal.install();
                SimulatorServer sim = SimulatorServer.start(
                        intOption(options, "--port", 0), dataDir, profile, Clock.systemUTC(), faults, population)) {
            out.println("simulators listening on " + sim.baseUrl());
            out.println("exporter config:  " + sim.exporterConfig());
            out.println("ground truth:     " + sim.transitions());
            out.flush();
            stop.await(null);
        }
        return 0;
    }

    private static int demo(Map<String, String> options, PrintStream out) throws Exception {
        Duration duration = options.containsKey("--duration") ? duration(options.get("--duration")) : null;
        Path dataDir = Path.of(options.getOrDefault("--data-dir", "data"));
        for (String sub : List.of("events", "checkpoints", "simulator")) {
            deleteTree(dataDir.resolve(sub));
        }
        // A Kafka topic outlives the demo: a seed per run keeps two demos' task ids apart there.
        long seed = options.containsKey("--seed") || !"kafka".equals(options.get("--sink"))
                ? seed(options)
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
                throw new UsageException("--sink kafka needs --bootstrap-servers HOST:PORT");
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
            throw new UsageException("--sink: '" + sink + "' is not file or kafka");
        }
        if (!delivery.equals("at-least-once") && !(delivery.equals("exactly-once") && sink.equals("kafka"))) {
            throw new UsageException("--delivery: exactly-once needs --sink kafka; at-least-once is the default");
        }
        metricsPort(raw, options);
        return raw;
    }

    /** {@code --metrics-port N} overrides exporter.metrics.port. */
    private static void metricsPort(Map<String, String> raw, Map<String, String> options) {
        if (options.containsKey("--metrics-port")) {
            raw.put("exporter.metrics.port", Integer.toString(intOption(options, "--metrics-port", 9876)));
        }
    }

    /** ", did you mean X?" for the known word nearest to {@code word} (at most 3 edits away), or "" and the list. */
    static String nearest(String word, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(word, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= 3
                ? " (did you mean " + best + "?)"
                : " (known: " + String.join(", ", known) + ")";
    }

    private static int editDistance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(
                        Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    private static int intOption(Map<String, String> options, String name, int def) {
        String v = options.get(name);
        try {
            return v == null ? def : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + ": '" + v + "' is not a number");
        }
    }

    private static long seed(Map<String, String> options) {
        return intOption(options, "--seed", 42);
    }

    private static Duration duration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--duration: " + e.getMessage());
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

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
