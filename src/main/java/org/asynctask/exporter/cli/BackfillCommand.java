package org.asynctask.exporter.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.asynctask.exporter.app.ExporterApp;
import org.asynctask.exporter.app.Providers;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.checkpoint.FileCheckpointStore;
import org.asynctask.exporter.config.Durations;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.config.StoreKind;
import org.asynctask.exporter.kafka.KafkaCheckpointStore;
import org.asynctask.exporter.poll.BackfillWindow;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.secret.Redaction;

/**
 * {@code backfill --source S --from TIME --to TIME}: replays the tasks of one source that started in the
 * window into the configured sink, through the same pipeline, so events carry the same ids as the live
 * ones. It polls the source's listed functions and the ones its live checkpoints know (discovered ones);
 * it keeps checkpoints of its own (rerun the same command to resume), sends no webhook alerts, serves no
 * metrics port, and delivers at least once (consumers drop repeats by id). It may run beside the exporter.
 */
final class BackfillCommand {
    private BackfillCommand() {}

    static int run(Map<String, String> options, PrintStream out) throws Exception {
        String source = options.get("--source");
        if (source == null) {
            throw new Cli.UsageException("backfill needs --source NAME");
        }
        BackfillWindow window;
        try {
            window = new BackfillWindow(
                    CheckpointsCommand.time("--from", options.get("--from")),
                    CheckpointsCommand.time("--to", options.get("--to")));
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException(e.getMessage());
        }
        Duration timeout =
                options.containsKey("--timeout") ? Durations.parse(options.get("--timeout")) : Duration.ofDays(1);
        Path configFile = Path.of(options.getOrDefault("--config", "config/application.properties"));
        Map<String, String> raw = ExporterConfig.read(configFile);
        String prefix = "exporter.source." + source + ".";
        if (!raw.containsKey(prefix + "provider")) {
            throw new Cli.UsageException("--source: no source '" + source + "' in " + configFile);
        }
        Set<String> functions = functions(raw, source);
        raw.keySet()
                .removeIf(k -> k.startsWith("exporter.source.") && !k.startsWith(prefix)
                        || k.startsWith("exporter.alert.webhook."));
        raw.put(prefix + "functions", String.join(",", functions));
        raw.put(prefix + "discover", "false");
        raw.put("exporter.delivery", "at-least-once");
        raw.put("exporter.metrics.port", options.getOrDefault("--metrics-port", "-1"));
        ExporterConfig config = ExporterConfig.parse(raw, System::getenv, Providers.catalog());

        ExporterApp app = ExporterApp.backfill(config, window, Clock.systemUTC());
        boolean done;
        try (app) {
            out.println("backfill of " + source + " (" + functions.size() + " function(s)) from " + window.from()
                    + " to " + window.to() + " into the " + app.sinkDescription());
            out.flush();
            app.start();
            done = app.awaitBackfill(timeout);
        }
        Map<PartitionKey, String> failed = app.failedPartitions();
        String stopped = failed.isEmpty()
                ? "stopped after --timeout " + Durations.format(timeout)
                : "stopped: " + failed.size() + " function(s) failed with an error that needs a fix: "
                        + Redaction.scrub(failed.toString());
        out.printf(
                "backfill %s: %d event(s), %d API call(s)%s%n",
                done ? "done" : stopped,
                app.stats().events.get(),
                app.stats().apiCalls.get(),
                done ? "" : "; run the same command again to resume");
        return done ? 0 : 1;
    }

    /** The source's listed functions, and those its live checkpoints know (found by discovery), as {@code [ns/]name[:qualifier]}. */
    private static Set<String> functions(Map<String, String> raw, String source) {
        Set<String> functions = new LinkedHashSet<>();
        String listed = raw.get("exporter.source." + source + ".functions");
        if (listed != null && !listed.isBlank()) {
            for (String f : listed.split(",")) {
                functions.add(f.trim());
            }
        }
        ExporterConfig live = ExporterConfig.parse(raw, System::getenv, Providers.catalog());
        try (CheckpointStore store = live.checkpointStore() == StoreKind.KAFKA
                ? new KafkaCheckpointStore(live.kafka(), null, false)
                : FileCheckpointStore.readOnly(live.checkpointDir())) {
            for (PartitionKey k : store.loadAll().keySet()) {
                if (k.source().equals(source)) {
                    functions.add((k.namespace() == null ? "" : k.namespace() + "/")
                            + k.function()
                            + (k.qualifier() == null ? "" : ":" + k.qualifier()));
                }
            }
        }
        if (functions.isEmpty()) {
            throw new Cli.UsageException(
                    "--source: '" + source + "' lists no functions and has no checkpoints of discovered ones");
        }
        return functions;
    }
}
