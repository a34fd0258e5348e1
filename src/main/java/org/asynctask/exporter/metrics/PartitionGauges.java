package org.asynctask.exporter.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.metrics.ExporterMetrics.PartitionSnapshot;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.task.TrackedTask;

/**
 * The gauges of each polled partition (lag, oldest open task, last success, open tasks by status): they read a
 * snapshot taken when a poll ends, never the state a poll thread is changing.
 */
final class PartitionGauges {
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<PartitionKey, PartitionSnapshot> partitions = new ConcurrentHashMap<>();
    /** Partition and status of every open-tasks gauge registered so far: each is registered once. */
    private final Set<String> statusGauges = ConcurrentHashMap.newKeySet();

    PartitionGauges(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** @return the open tasks the partition tracks now */
    long pollSucceeded(PartitionKey t, Checkpoint state, long scannedToMs) {
        // Counted in a hash map of counters, not a sorted map of boxed numbers: this runs over every
        // tracked task after every poll.
        Map<String, long[]> counts = new HashMap<>();
        long oldest = Long.MAX_VALUE;
        for (TrackedTask task : state.tracked().values()) {
            if (!task.terminal()) {
                counts.computeIfAbsent(task.providerStatus(), s -> new long[1])[0]++;
                oldest = Math.min(oldest, task.startedAtMs());
            }
        }
        Map<String, Long> open = new TreeMap<>();
        counts.forEach((status, n) -> open.put(status, n[0]));
        PartitionSnapshot before = partitions.get(t);
        long scannedTo = scannedToMs > 0 || before == null ? scannedToMs : before.scannedToMs();
        PartitionSnapshot previous =
                partitions.put(t, new PartitionSnapshot(open, oldest, state.watermarkMs(), clock.millis(), scannedTo));
        if (previous == null) {
            register(t);
        }
        // Statuses that emptied since the last poll read 0 (their gauges stay registered).
        open.keySet().forEach(status -> openGauge(t, status));
        return open.values().stream().mapToLong(Long::longValue).sum();
    }

    PartitionSnapshot snapshot(PartitionKey key) {
        return partitions.get(key);
    }

    void forget(PartitionKey key) {
        if (partitions.remove(key) == null) {
            return;
        }
        String function = ExporterMetrics.function(key);
        registry.getMeters().stream()
                .filter(m -> m.getId().getType() == Meter.Type.GAUGE)
                .filter(m -> key.source().equals(m.getId().getTag("source"))
                        && function.equals(m.getId().getTag("function")))
                .forEach(registry::remove);
        statusGauges.removeIf(g -> g.startsWith(key.id() + "\n"));
    }

    void forgetAll(Predicate<PartitionKey> moved) {
        List.copyOf(partitions.keySet()).stream().filter(moved).forEach(this::forget);
    }

    private void register(PartitionKey key) {
        String[] tags = {"source", key.source(), "provider", key.provider(), "function", ExporterMetrics.function(key)};
        Gauge.builder(
                        "asynctask_exporter_checkpoint_lag_seconds",
                        () -> seconds(clock.millis() - partitions.get(key).watermarkMs()))
                .description("Now minus the partition's watermark")
                .tags(tags)
                .register(registry);
        Gauge.builder("asynctask_exporter_oldest_open_task_age_seconds", () -> {
                    long oldest = partitions.get(key).oldestOpenStartMs();
                    return oldest == Long.MAX_VALUE ? 0 : seconds(clock.millis() - oldest);
                })
                .description("Age of the oldest task still open (0 when none is)")
                .tags(tags)
                .register(registry);
        Gauge.builder(
                        "asynctask_exporter_last_success_timestamp_seconds",
                        () -> partitions.get(key).lastSuccessMs() / 1000.0)
                .description("When the partition's last poll succeeded (Unix time)")
                .tags(tags)
                .register(registry);
        Gauge.builder(
                        "asynctask_tasks_running",
                        () -> partitions.get(key).openByStatus().values().stream()
                                .mapToLong(Long::longValue)
                                .sum())
                .description("Tasks currently open (not final), per polled function")
                .tags(tags)
                .register(registry);
    }

    private void openGauge(PartitionKey key, String status) {
        if (!statusGauges.add(key.id() + "\n" + status)) {
            return;
        }
        Gauge.builder(
                        "asynctask_exporter_open_tasks",
                        () -> partitions.get(key).openByStatus().getOrDefault(status, 0L))
                .description("Open tasks tracked, by raw provider status")
                .tags(
                        "source",
                        key.source(),
                        "provider",
                        key.provider(),
                        "function",
                        ExporterMetrics.function(key),
                        "status",
                        status)
                .register(registry);
    }

    private static double seconds(long ms) {
        return Math.max(0, ms) / 1000.0;
    }
}
