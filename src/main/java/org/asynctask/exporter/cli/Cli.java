package org.asynctask.exporter.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.asynctask.exporter.app.ExporterApp;
import org.asynctask.exporter.app.Providers;
import org.asynctask.exporter.config.ConfigException;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.secret.Redaction;
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
                case "simulate" -> SimulateCommand.run(options, out);
                case "demo" -> DemoCommand.run(options, out);
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
        CliOptions.metricsPort(raw, options);
        ExporterConfig config = ExporterConfig.parse(raw, System::getenv, Providers.catalog());
        try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
            app.runUntilStopped();
        }
        return 0;
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
