package org.asynctask.exporter.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * Every command, its options and what they mean, in one table: picocli parses with it (and checks the
 * typed values), prints each command's help from it and writes the completion script from it. Built
 * in code rather than from annotations, which cost about 30 ms more of every start (reflection over
 * the annotated classes); the table costs about 70 ms, measured beside a hand-written parser.
 */
final class CommandTable {
    /** As the launcher is called; the usage lines and the completion script use it. */
    static final String NAME = "async-task-exporter";

    static final String SEE_HELP = "see: java -jar target/async-task-exporter.jar ";

    private CommandTable() {}

    static CommandLine build() {
        CommandLine top = new CommandLine(command(
                NAME,
                "Polls the async-task lists of serverless clouds and publishes every task status change.",
                List.of(
                        "Exit codes: 0 done, 2 a bad command line or configuration (the message names the option or key), 1 any "
                                + "other failure; `status` 3 when a source is not UP. Run `" + NAME
                                + " COMMAND --help` (bin/" + NAME
                                + ", or java -jar target/" + NAME + ".jar) for a command's options.")));
        top.getCommandSpec().usageMessage().synopsisSubcommandLabel("COMMAND");
        top.addSubcommand(new CommandLine(command(
                "run",
                "Run the exporter.",
                List.of(
                        "Polls every configured source and publishes each task status change to the configured sink, until stopped "
                                + "(SIGTERM, Ctrl-C: the polls in flight finish first). Metrics, health and status on "
                                + "http://HOST:N/metrics, /health, /status."),
                option("--config", "FILE", String.class, "The configuration (default: config/application.properties)."),
                option(
                        "--metrics-port",
                        "N",
                        Integer.class,
                        "Port of the metrics, health and status server (default: "
                                + "exporter.metrics.port, 9876; 0: any free port; -1: none)."))));
        top.addSubcommand(
                new CommandLine(
                        command(
                                "simulate",
                                "Start the provider simulators.",
                                List.of(
                                        "The four providers' APIs on 127.0.0.1, as docs/providers.md describes them, verifying signatures. Writes "
                                                + "DIR/simulator/exporter.properties (a configuration for `run` against them), the three demo secrets it "
                                                + "references and DIR/simulator/transitions.jsonl (every status transition they make). Runs until stopped; "
                                                + "steer it at /_simulator/: GET state, POST faults/clear, POST arrivals/stop."),
                                option("--port", "N", Integer.class, "Port on 127.0.0.1 (default: 0, any free port)."),
                                option("--data-dir", "DIR", String.class, "Where its files go (default: ./data)."),
                                option(
                                        "--seed",
                                        "N",
                                        Integer.class,
                                        "Seed of the simulated tasks and faults (default: 42): the same seed, the same run."),
                                option(
                                        "--profile",
                                        "NAME",
                                        String.class,
                                        "demo (some tasks run a minute), fast (more tasks, all done within seconds) "
                                                + "or scale (a task per function every 50 s; the default with --functions)."),
                                option(
                                        "--functions",
                                        "N",
                                        Integer.class,
                                        "N functions of every provider instead of the demo's ten, in sources of "
                                                + "250 with a key each."),
                                option(
                                        "--faults",
                                        "SPEC",
                                        String.class,
                                        "Faults, each KIND=probability per request: server-error, throttle, slow, "
                                                + "reset, truncated, malformed, page-token, duplicate, missing; all=P is P in total, spread evenly over the "
                                                + "nine (a kind named after it overrides its share); plus slow-ms=N (how long a slow answer takes, default "
                                                + "3000: within the default response timeout of 30 s) and retry-after=SECONDS. Example: all=0.05,throttle=0.1."))));
        top.addSubcommand(new CommandLine(command(
                "status",
                "Ask a running exporter how it is doing.",
                List.of(
                        "Every partition's state, watermark, lag, open tasks, last poll and last error, and every source's and output's "
                                + "readiness with the reason when it fails (the same as JSON: GET URL/status). Exit code 0 when all are "
                                + "UP, 3 when one is not, 1 when no exporter answers."),
                option(
                        "--url",
                        "URL",
                        String.class,
                        "The exporter's metrics server (default: http://localhost:9876)."))));
        top.addSubcommand(checkpoints());
        top.addSubcommand(new CommandLine(command(
                "backfill",
                "Replay a time window of one source.",
                List.of(
                        "Replays the tasks of one source that started in the window into the configured sink, with the same event ids "
                                + "as the live run and checkpoints of its own (run it again to resume). No alerts; may run beside the exporter. "
                                + "TIME: ISO-8601 (2026-11-22T10:00:00Z) or -DURATION before now (-2h)."),
                option("--source", "NAME", String.class, "The source, as in exporter.source.NAME.* (required)."),
                option("--from", "TIME", String.class, "Tasks started at or after this (required)."),
                option("--to", "TIME", String.class, "Tasks started before this (required)."),
                option(
                        "--config",
                        "FILE",
                        String.class,
                        "The exporter's configuration (default: config/application.properties)."),
                option("--timeout", "D", String.class, "Give up after this (default: 1d); run it again to resume."),
                option("--metrics-port", "N", Integer.class, "Serve metrics while it runs (default: -1, none)."))));
        top.addSubcommand(new CommandLine(command(
                "demo",
                "Simulators and exporter in one process.",
                List.of(
                        "Events go to DIR/events (JSON Lines), or to the Kafka topic async-tasks.status-changes; checkpoints to "
                                + "DIR/checkpoints (exactly-once: to a Kafka topic of this demo run). Stops after --duration or on Ctrl-C, "
                                + "as `run` does, then prints a summary. Each demo starts afresh in DIR."),
                option("--duration", "D", String.class, "Stop after this (30s, 5m; default: on Ctrl-C)."),
                option("--data-dir", "DIR", String.class, "Where its files go (default: ./data)."),
                option(
                        "--seed",
                        "N",
                        Integer.class,
                        "The simulators' seed (default: 42; with --sink kafka a new one per run, printed, "
                                + "so that two demos into one topic never share a task id)."),
                option(
                        "--metrics-port",
                        "N",
                        Integer.class,
                        "Port of the metrics server (default: 9876, or any free port when it is taken)."),
                option("--sink", "file|kafka", String.class, "Where the events go (default: file)."),
                option("--bootstrap-servers", "HOST:PORT", String.class, "The Kafka broker, with --sink kafka."),
                option(
                        "--delivery",
                        "MODE",
                        String.class,
                        "at-least-once (default), or exactly-once with --sink kafka."))));
        top.addSubcommand(new CommandLine(command(
                "completion",
                "Print a bash/zsh completion script.",
                List.of("For the launcher: source <(bin/" + NAME
                        + " completion), or save it in /etc/bash_completion.d/."))));
        return top;
    }

    private static CommandLine checkpoints() {
        String config = "The exporter's configuration (default: config/application.properties).";
        String partition = "As `checkpoints list` prints it (source/[namespace/]function[:qualifier]), or its full id.";
        CommandLine checkpoints = new CommandLine(
                command(
                        "checkpoints",
                        "The checkpoints of the configured store.",
                        List.of(
                                "Read with the exporter's own configuration, from its files or its Kafka topic. list and show work while an "
                                        + "exporter runs; reset and delete refuse then (exit code 1, saying who), because it would overwrite the change.")));
        checkpoints.getCommandSpec().usageMessage().synopsisSubcommandLabel("list|show|reset|delete|migrate");
        checkpoints.addSubcommand(new CommandLine(command(
                "list",
                "Every checkpoint, a line each.",
                List.of(),
                option("--config", "FILE", String.class, config))));
        checkpoints.addSubcommand(new CommandLine(
                command("show", "One checkpoint in full.", List.of(), option("--config", "FILE", String.class, config))
                        .addPositional(positional("PARTITION", partition))));
        checkpoints.addSubcommand(new CommandLine(command(
                        "reset",
                        "Move a watermark: the next scan lists tasks started since then.",
                        List.of("TIME: ISO-8601 (2026-11-22T10:00:00Z) or -DURATION before now (-2h)."),
                        option("--to", "TIME", String.class, "The new watermark (required)."),
                        option("--config", "FILE", String.class, config))
                .addPositional(positional("PARTITION", partition))));
        checkpoints.addSubcommand(new CommandLine(command(
                        "delete",
                        "Delete a checkpoint: its next poll starts as a new partition does.",
                        List.of(),
                        option("--config", "FILE", String.class, config))
                .addPositional(positional("PARTITION", partition))));
        checkpoints.addSubcommand(new CommandLine(command(
                "migrate",
                "Copy every checkpoint to a new topic with one partition per shard (group mode, docs/group.md).",
                List.of("Then set exporter.checkpoint.topic to it. Refused while an exporter holds either topic."),
                required(option("--to", "TOPIC", String.class, "The new checkpoint topic (required).")),
                option("--config", "FILE", String.class, config))));
        return checkpoints;
    }

    private static CommandSpec command(String name, String summary, List<String> description, OptionSpec... options) {
        CommandSpec spec = CommandSpec.create().name(name);
        List<String> lines = new ArrayList<>(List.of(summary));
        lines.addAll(description);
        // In the table's order: the options that matter most come first.
        spec.usageMessage()
                .description(lines.toArray(String[]::new))
                .sortOptions(false)
                .sortSynopsis(false);
        spec.addOption(OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .description("Show this help and exit.")
                .build());
        for (OptionSpec o : options) {
            spec.addOption(o);
        }
        return spec;
    }

    private static OptionSpec option(String name, String label, Class<?> type, String description) {
        return OptionSpec.builder(name)
                .paramLabel(label)
                .type(type)
                .description(description)
                .build();
    }

    private static OptionSpec required(OptionSpec option) {
        return option.toBuilder().required(true).build();
    }

    private static PositionalParamSpec positional(String label, String description) {
        return PositionalParamSpec.builder()
                .index("0")
                .arity("1")
                .required(true)
                .paramLabel(label)
                .type(String.class)
                .description(description)
                .build();
    }

    /** The name a command goes by on the command line: {@code run}, {@code checkpoints show}. */
    static String path(CommandLine command) {
        String qualified = command.getCommandSpec().qualifiedName(" ");
        return qualified.equals(NAME) ? "" : qualified.substring(NAME.length() + 1);
    }

    /** The options given to the parsed command, by their names, as written (picocli has checked the typed ones). */
    static Map<String, String> values(ParseResult command) {
        Map<String, String> values = new HashMap<>();
        for (OptionSpec o : command.matchedOptions()) {
            List<String> given = o.stringValues();
            if (!o.usageHelp() && !given.isEmpty()) {
                values.put(o.longestName(), given.get(given.size() - 1));
            }
        }
        return values;
    }

    /** One line for a refused command line, naming the command, the option or argument, and the nearest known one. */
    static String explain(CommandLine.ParameterException e) {
        CommandLine where = e.getCommandLine();
        String path = path(where);
        String prefix = path.isEmpty() ? "" : path + ": ";
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            if (first.startsWith("-")) {
                List<String> known = where.getCommandSpec().options().stream()
                        .filter(o -> !o.usageHelp())
                        .map(OptionSpec::longestName)
                        .toList();
                return prefix + "unknown option '" + first + "'" + NearestWord.suggest(first, known);
            }
            if (!where.getSubcommands().isEmpty()) {
                return prefix + "unknown command '" + first + "'"
                        + NearestWord.suggest(
                                first, List.copyOf(where.getSubcommands().keySet()));
            }
            return prefix + "unexpected argument '" + first + "' (options are --name value)";
        }
        if (e instanceof CommandLine.MissingParameterException missing
                && !missing.getMissing().isEmpty()) {
            ArgSpec arg = missing.getMissing().get(0);
            return arg instanceof OptionSpec o
                    ? prefix + o.longestName() + " needs a value"
                    : path + " needs a " + arg.paramLabel() + ": "
                            + Character.toLowerCase(arg.description()[0].charAt(0)) + arg.description()[0].substring(1);
        }
        return prefix + e.getMessage();
    }
}
