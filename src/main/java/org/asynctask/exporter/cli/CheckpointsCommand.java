package org.asynctask.exporter.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.asynctask.exporter.app.PollTargets;
import org.asynctask.exporter.app.Providers;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.checkpoint.FileCheckpointStore;
import org.asynctask.exporter.config.Durations;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.config.StoreKind;
import org.asynctask.exporter.kafka.KafkaCheckpointStore;
import org.asynctask.exporter.kafka.KafkaSettings;
import org.asynctask.exporter.kafka.LeaseGroup;
import org.asynctask.exporter.poll.PollTarget;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.task.TrackedTask;

/**
 * {@code checkpoints list|show|reset|delete|migrate}: the checkpoints of the configured store (files or the Kafka
 * topic), read with the exporter's own configuration. {@code list} and {@code show} work while an exporter
 * runs; {@code reset} and {@code delete} refuse then (the file store's lock, the Kafka store's lease),
 * because the running exporter would overwrite the change with its next save.
 */
final class CheckpointsCommand {
    private CheckpointsCommand() {}

    /**
     * @param command   list, show, reset or delete
     * @param partition the partition a command other than list names (the command line requires it)
     */
    static int run(String command, String partition, Map<String, String> options, PrintStream out) {
        ExporterConfig config = ExporterConfig.load(
                Path.of(options.getOrDefault("--config", "config/application.properties")), Providers.catalog());
        if (command.equals("migrate")) {
            return migrate(config, options.get("--to"), out);
        }
        boolean changes = command.equals("reset") || command.equals("delete");
        Instant resetTo = command.equals("reset") ? time("--to", options.get("--to")) : null;
        try (CheckpointStore store = open(config, changes)) {
            Map<PartitionKey, Checkpoint> stored = store.loadAll();
            if (command.equals("list")) {
                list(stored, out);
                return 0;
            }
            PartitionKey key = resolve(partition, stored.keySet(), config);
            Checkpoint current = stored.get(key);
            switch (command) {
                case "show" -> show(key, current, out);
                case "reset" -> {
                    Checkpoint reset = new Checkpoint(
                            resetTo.toEpochMilli(), null, current == null ? Map.of() : current.tracked(), null);
                    store.save(key, reset);
                    out.println(
                            "reset " + key.displayName() + ": watermark "
                                    + (current == null ? "(none)" : Instant.ofEpochMilli(current.watermarkMs()))
                                    + " -> " + resetTo
                                    + "; its next scan lists tasks started since then (tasks it still tracks are not published again)");
                }
                default -> {
                    if (current == null) {
                        throw new IllegalArgumentException(key.displayName() + " has no checkpoint to delete");
                    }
                    store.delete(key);
                    out.println("deleted the checkpoint of " + key.displayName()
                            + "; its next poll starts as a new partition does");
                }
            }
            return 0;
        }
    }

    /**
     * Copies every checkpoint of the configured Kafka topic, whatever its shape, to {@code to}, made with one
     * partition per shard of the configuration: how a single exporter's topic becomes a group's. Refused while an
     * exporter holds either topic.
     */
    private static int migrate(ExporterConfig config, String to, PrintStream out) {
        if (config.checkpointStore() != StoreKind.KAFKA) {
            throw new IllegalArgumentException(
                    "checkpoints migrate copies a Kafka checkpoint topic; exporter.checkpoint.store is file");
        }
        KafkaSettings target = config.kafka().withCheckpointTopic(to);
        if (to.equals(config.kafka().checkpointTopic())) {
            throw new IllegalArgumentException("--to names exporter.checkpoint.topic itself: give the new topic");
        }
        LeaseGroup.refuseIfHeld(config.kafka());
        LeaseGroup.refuseIfHeld(target);
        try (KafkaCheckpointStore from = new KafkaCheckpointStore(config.kafka(), null, false);
                KafkaCheckpointStore into = new KafkaCheckpointStore(target, null, false)) {
            into.requireOneShardPerPartition();
            Map<PartitionKey, Checkpoint> all = from.loadAll();
            all.forEach(into::save);
            out.println("copied " + all.size() + " checkpoint(s) from "
                    + config.kafka().checkpointTopic() + " to " + to
                    + " (" + target.group().shards() + " partition(s), one per shard); set exporter.checkpoint.topic="
                    + to
                    + " and start the exporters");
        }
        return 0;
    }

    private static CheckpointStore open(ExporterConfig config, boolean changes) {
        if (config.checkpointStore() == StoreKind.KAFKA) {
            if (changes) {
                LeaseGroup.refuseIfHeld(config.kafka());
            }
            return new KafkaCheckpointStore(config.kafka(), null, false);
        }
        // The lock makes the file store refuse while an exporter holds the directory.
        return changes
                ? new FileCheckpointStore(config.checkpointDir())
                : FileCheckpointStore.readOnly(config.checkpointDir());
    }

    private static void list(Map<PartitionKey, Checkpoint> stored, PrintStream out) {
        String row = "%-40s %-22s %-24s %9s %7s %9s %s%n";
        out.printf(Locale.ROOT, row, "PARTITION", "PROVIDER", "WATERMARK (UTC)", "LAG", "OPEN", "FINISHED", "SCAN");
        long now = System.currentTimeMillis();
        stored.forEach((key, c) -> {
            long open = c.tracked().values().stream().filter(t -> !t.terminal()).count();
            out.printf(
                    Locale.ROOT,
                    row,
                    key.displayName(),
                    key.provider(),
                    Instant.ofEpochMilli(c.watermarkMs()),
                    Durations.format(Duration.ofSeconds(Math.max(0, (now - c.watermarkMs()) / 1000))),
                    open,
                    c.tracked().size() - open,
                    c.scan() == null ? "-" : "in progress");
        });
        out.println(stored.size() + " checkpoint(s)");
    }

    private static void show(PartitionKey key, Checkpoint c, PrintStream out) {
        out.println("partition:      " + key.displayName() + "  (id " + key.id() + ")");
        if (c == null) {
            out.println("no checkpoint yet: its first poll starts as configured (start-from)");
            return;
        }
        out.println("watermark:      " + Instant.ofEpochMilli(c.watermarkMs()));
        out.println("scan:           "
                + (c.scan() == null
                        ? "none in progress"
                        : "from " + Instant.ofEpochMilli(c.scan().fromMs()) + " to "
                                + Instant.ofEpochMilli(c.scan().toMs())
                                + (c.scan().pageToken() == null ? "" : ", at a page token")));
        Map<String, Integer> byStatus = new TreeMap<>();
        c.tracked()
                .values()
                .forEach(t -> byStatus.merge(t.providerStatus() + (t.terminal() ? " (final)" : ""), 1, Integer::sum));
        out.println("tracked tasks:  " + c.tracked().size() + (byStatus.isEmpty() ? "" : " " + byStatus));
        List<Map.Entry<String, TrackedTask>> open = new ArrayList<>(c.tracked().entrySet().stream()
                .filter(e -> !e.getValue().terminal())
                .toList());
        open.sort(Comparator.comparingLong(e -> e.getValue().startedAtMs()));
        if (!open.isEmpty()) {
            out.println("oldest open:");
            open.stream()
                    .limit(10)
                    .forEach(e ->
                            out.println("  " + e.getKey() + "  " + e.getValue().providerStatus() + "  started "
                                    + Instant.ofEpochMilli(e.getValue().startedAtMs())));
        }
    }

    /** By its id or its display name ({@code source/[namespace/]function[:qualifier]}), among stored and configured ones. */
    static PartitionKey resolve(String name, Set<PartitionKey> stored, ExporterConfig config) {
        Set<PartitionKey> known = new LinkedHashSet<>(stored);
        PollTargets.of(config).stream().map(PollTarget::key).forEach(known::add);
        List<PartitionKey> matches = known.stream()
                .filter(k -> k.id().equals(name) || k.displayName().equals(name))
                .toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        throw new IllegalArgumentException((matches.isEmpty() ? "no partition '" : "more than one partition is '")
                + name + "'; known: "
                + String.join(
                        ", ",
                        known.stream()
                                .map(k -> matches.isEmpty() ? k.displayName() : k.id())
                                .toList()));
    }

    /** An ISO-8601 time ({@code 2026-11-22T10:00:00Z}, or with an offset) or {@code -DURATION} before now ({@code -2h}). */
    static Instant time(String option, String text) {
        if (text == null) {
            throw new Cli.UsageException(
                    "needs " + option + " TIME (ISO-8601 like 2026-11-22T10:00:00Z, or -2h for 2 hours ago)");
        }
        try {
            if (text.startsWith("-")) {
                // Whole seconds: "-1h" means about then, and prints as 2026-11-22T09:00:00Z, not with nanoseconds.
                return Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Durations.parse(text.substring(1)));
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new Cli.UsageException(
                    option + ": '" + text + "' is not a time (ISO-8601 like 2026-11-22T10:00:00Z, or -2h)");
        }
    }
}
