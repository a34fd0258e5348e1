package org.asynctask.exporter.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TaskStatus;
import org.asynctask.exporter.task.TrackedTask;

/**
 * The exporter's Prometheus metrics (docs/metrics-and-alerting.md): {@code asynctask_exporter_*} about the exporter,
 * {@code asynctask_*} about the tasks. Labels are bounded: source, provider, function, status, outcome,
 * error kind; never a task id. Per-partition gauges read a snapshot taken when a poll ends, never the
 * state a poll thread is changing.
 */
public final class ExporterMetrics {
    private final MeterRegistry registry;
    /**
     * The meters counted per event, found by their tags: building a meter's id for every event (its tags
     * sorted, the registry searched) took 5 % of a poll thread. Safe to keep: only gauges are ever removed.
     */
    private final Map<List<String>, Counter> eventMeters = new ConcurrentHashMap<>();

    private final Map<List<String>, DistributionSummary> durations = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Map<PartitionKey, PartitionSnapshot> partitions = new ConcurrentHashMap<>();
    private final AtomicInteger shardsHeld = new AtomicInteger();
    /** Registered once, in group mode only. */
    private Gauge shardsHeldGauge;
    /** Partition and status of every open-tasks gauge registered so far: each is registered once. */
    private final Set<String> statusGauges = ConcurrentHashMap.newKeySet();

    /** What the gauges of one partition show, as of the end of its last successful poll. */
    /**
     * What the last successful poll left: open tasks, watermark, when, and {@code scannedToMs}, the end of
     * the last complete scan (every task started before it was listed; 0 until one completed).
     */
    public record PartitionSnapshot(
            Map<String, Long> openByStatus,
            long oldestOpenStartMs,
            long watermarkMs,
            long lastSuccessMs,
            long scannedToMs) {}

    /**
     * Buckets of the task duration histogram, in seconds: a dozen fixed bounds from 0.1 s to a day, not the
     * 70 of a percentile histogram (which made 720 of a 10-function scrape's 1,200 lines).
     */
    private static final double[] TASK_DURATION_BUCKETS = {0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400};
    /** Buckets of the poll duration histogram, per source. */
    private static final Duration[] POLL_DURATION_BUCKETS = {
        Duration.ofMillis(10),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60)
    };

    /** Task durations per function too (exporter.metrics.task-duration-by-function), else per source. */
    private final boolean durationByFunction;

    public ExporterMetrics(MeterRegistry registry, Clock clock) {
        this(registry, clock, false);
    }

    public ExporterMetrics(MeterRegistry registry, Clock clock, boolean durationByFunction) {
        this.registry = registry;
        this.clock = clock;
        this.durationByFunction = durationByFunction;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * One provider call and how it ended: outcome {@code ok}, {@code retriable}, {@code invalid_page_token},
     * {@code permanent} or {@code network_error}, and the provider's error code (a bounded set each API
     * documents; empty when there is none).
     */
    public void apiCall(PartitionKey t, String outcome, String code) {
        Counter.builder("asynctask_exporter_api_calls")
                .description("Provider API calls by outcome and error code")
                .tags(
                        "source",
                        t.source(),
                        "provider",
                        t.provider(),
                        "outcome",
                        outcome,
                        "code",
                        code == null ? "" : code)
                .register(registry)
                .increment();
    }

    public void page(PartitionKey t) {
        Counter.builder("asynctask_exporter_pages")
                .description("List pages fetched (scans and status checks)")
                .tags("source", t.source(), "provider", t.provider())
                .register(registry)
                .increment();
    }

    /**
     * Events made durable, and for finished tasks the task metrics. The meters are looked up once per status and
     * function of a batch (a batch is one partition's), not once per event.
     */
    public void published(List<StatusChange> changes) {
        Task place = null;
        EventMeters[] byStatus = new EventMeters[TaskStatus.values().length];
        for (StatusChange c : changes) {
            Task task = c.task();
            if (place == null || !samePlace(place, task)) {
                Arrays.fill(byStatus, null);
                place = task;
            }
            EventMeters meters = byStatus[task.status().ordinal()];
            if (meters == null) {
                meters = task.terminal()
                        ? new EventMeters(publishedCounter(task), finishedCounter(task), durationSummary(task))
                        : new EventMeters(publishedCounter(task), null, null);
                byStatus[task.status().ordinal()] = meters;
            }
            meters.published().increment();
            if (meters.finished() != null) {
                meters.finished().increment();
                if (task.startedAt() != null
                        && task.endedAt() != null
                        && !task.endedAt().isBefore(task.startedAt())) {
                    meters.duration()
                            .record(Duration.between(task.startedAt(), task.endedAt())
                                            .toMillis()
                                    / 1000.0);
                }
            }
        }
    }

    /** The meters of one status of one function: for a final status, also the finished count and duration. */
    private record EventMeters(Counter published, Counter finished, DistributionSummary duration) {}

    private static boolean samePlace(Task a, Task b) {
        return Objects.equals(a.source(), b.source())
                && Objects.equals(a.provider(), b.provider())
                && Objects.equals(a.namespace(), b.namespace())
                && Objects.equals(a.function(), b.function());
    }

    private Counter publishedCounter(Task task) {
        String status = task.status().name();
        return eventMeters.computeIfAbsent(
                List.of("published", task.source(), task.provider(), status),
                k -> Counter.builder("asynctask_exporter_events_published")
                        .description("Status-change events delivered to the sink")
                        .tags("source", task.source(), "provider", task.provider(), "status", status)
                        .register(registry));
    }

    private Counter finishedCounter(Task task) {
        String status = task.status().name();
        String function = function(task);
        return eventMeters.computeIfAbsent(
                List.of("finished", task.provider(), task.source(), function, status),
                k -> Counter.builder("asynctask_tasks_finished")
                        .description("Tasks seen reaching a final status")
                        .tags(
                                "provider",
                                task.provider(),
                                "source",
                                task.source(),
                                "function",
                                function,
                                "status",
                                status)
                        .register(registry));
    }

    private DistributionSummary durationSummary(Task task) {
        String byFunction = durationByFunction ? function(task) : "";
        return durations.computeIfAbsent(List.of(task.provider(), task.source(), byFunction), k -> {
            DistributionSummary.Builder b = DistributionSummary.builder("asynctask_task_duration_seconds")
                    .description("Task run time, start to end, of finished tasks")
                    .baseUnit("seconds")
                    .serviceLevelObjectives(TASK_DURATION_BUCKETS)
                    .tags("provider", task.provider(), "source", task.source());
            return (durationByFunction ? b.tag("function", byFunction) : b).register(registry);
        });
    }

    /**
     * @param scannedToMs the end of the scan this poll completed, 0 if it completed none
     * @return the open tasks the partition tracks now (counted here anyway, so the caller need not count again)
     */
    public long pollSucceeded(PartitionKey t, Duration took, Checkpoint state, long scannedToMs) {
        Timer.builder("asynctask_exporter_poll_duration")
                .description("Duration of one poll of one partition")
                .serviceLevelObjectives(POLL_DURATION_BUCKETS)
                .tags("source", t.source(), "provider", t.provider())
                .register(registry)
                .record(took);
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
            registerGauges(t);
        }
        // Statuses that emptied since the last poll read 0 (their gauges stay registered).
        open.keySet().forEach(status -> openGauge(t, status));
        return open.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The partition's state as of its last successful poll, or null before its first. */
    public PartitionSnapshot snapshot(PartitionKey key) {
        return partitions.get(key);
    }

    /**
     * Discovery no longer lists the partition: its gauges go, so that dashboards do not show a frozen lag.
     * (Counters stay: they are totals.)
     */
    public void forget(PartitionKey key) {
        if (partitions.remove(key) == null) {
            return;
        }
        String function = function(key);
        registry.getMeters().stream()
                .filter(m -> m.getId().getType() == Meter.Type.GAUGE)
                .filter(m -> key.source().equals(m.getId().getTag("source"))
                        && function.equals(m.getId().getTag("function")))
                .forEach(registry::remove);
        statusGauges.removeIf(g -> g.startsWith(key.id() + "\n"));
    }

    /** Every partition {@code moved} accepts: they went to another member of the group, which reports them now. */
    public void forgetAll(Predicate<PartitionKey> moved) {
        List.copyOf(partitions.keySet()).stream().filter(moved).forEach(this::forget);
    }

    /** Group mode: how many shards this exporter holds. */
    public synchronized void shardsHeld(int shards) {
        if (shardsHeldGauge == null) {
            shardsHeldGauge = Gauge.builder("asynctask_exporter_group_shards_held", shardsHeld, AtomicInteger::get)
                    .description("Shards of the group this exporter holds and polls")
                    .register(registry);
        }
        shardsHeld.set(shards);
    }

    /** Group mode: one hand-over of shards in a rebalance, and how long its polls in flight took to finish. */
    public void handedOver(Duration took) {
        Timer.builder("asynctask_exporter_group_handovers")
                .description("Shards handed over to another member in a rebalance, timed from the revocation to the "
                        + "last poll in flight committed")
                .register(registry)
                .record(took);
    }

    /** Group mode: shards gained in a rebalance. */
    public void shardsGained(int shards) {
        Counter.builder("asynctask_exporter_group_shards_gained")
                .description("Shards this exporter was assigned in rebalances")
                .register(registry)
                .increment(shards);
    }

    public void pollFailed(PartitionKey t, boolean retriable) {
        Counter.builder("asynctask_exporter_poll_failures")
                .description("Failed polls (retriable ones are retried with back-off)")
                .tags("source", t.source(), "provider", t.provider(), "retriable", Boolean.toString(retriable))
                .register(registry)
                .increment();
    }

    /** Time a poll thread waited for the client-side rate limit before a request. */
    public void rateLimitWait(PartitionKey t, long nanos) {
        Counter.builder("asynctask_exporter_rate_limit_wait_seconds")
                .description("Time spent waiting for the client-side rate limit")
                .tags("source", t.source(), "provider", t.provider())
                .register(registry)
                .increment(nanos / 1e9);
    }

    /** A poll that did not start because its account's rate limit had no request left; it goes again once one fits. */
    public void rateLimitDeferred(PartitionKey t) {
        Counter.builder("asynctask_exporter_rate_limit_deferred_polls")
                .description("Polls put off because the source's rate limit was used up")
                .tags("source", t.source(), "provider", t.provider())
                .register(registry)
                .increment();
    }

    /** How long a failed partition was told to wait before its retry; reason retry_after when the provider asked. */
    public void backoff(PartitionKey t, Duration wait, boolean providerAsked) {
        Counter.builder("asynctask_exporter_backoff_seconds")
                .description("Waits after failed polls (back-off, provider Retry-After)")
                .tags(
                        "source",
                        t.source(),
                        "provider",
                        t.provider(),
                        "reason",
                        providerAsked ? "retry_after" : "backoff")
                .register(registry)
                .increment(wait.toMillis() / 1000.0);
    }

    /**
     * A readiness check as a metric, for alerting: 1 while it is UP, 0 while DOWN
     * ({@code check} is {@code source-<name>}, {@code sink} or {@code checkpoint-store}).
     */
    public void healthCheck(String check, BooleanSupplier up) {
        Gauge.builder("asynctask_exporter_health_check_up", () -> up.getAsBoolean() ? 1 : 0)
                .description("1 while the readiness check is UP, 0 while it is DOWN (see /health/ready)")
                .tag("check", check)
                .register(registry);
    }

    /** How often the source polls each function: stale-partition alerts compare against it. */
    public void pollInterval(String source, String provider, Duration interval) {
        Gauge.builder("asynctask_exporter_poll_interval_seconds", () -> interval.toMillis() / 1000.0)
                .description("Poll interval of each function of the source")
                .tags("source", source, "provider", provider)
                .register(registry);
    }

    public void discovery(String source, int added, int removed) {
        Counter.builder("asynctask_exporter_discovered_partitions")
                .tags("source", source, "change", "added")
                .register(registry)
                .increment(added);
        Counter.builder("asynctask_exporter_discovered_partitions")
                .tags("source", source, "change", "removed")
                .register(registry)
                .increment(removed);
    }

    private void registerGauges(PartitionKey t) {
        PartitionKey key = t;
        String[] tags = {"source", t.source(), "provider", t.provider(), "function", function(key)};
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

    private void openGauge(PartitionKey t, String status) {
        PartitionKey key = t;
        if (!statusGauges.add(key.id() + "\n" + status)) {
            return;
        }
        Gauge.builder(
                        "asynctask_exporter_open_tasks",
                        () -> partitions.get(key).openByStatus().getOrDefault(status, 0L))
                .description("Open tasks tracked, by raw provider status")
                .tags("source", t.source(), "provider", t.provider(), "function", function(key), "status", status)
                .register(registry);
    }

    private static double seconds(long ms) {
        return Math.max(0, ms) / 1000.0;
    }

    private static String function(Task t) {
        return (t.namespace() == null ? "" : t.namespace() + "/") + t.function();
    }

    /** A polled function: {@code [namespace/]function[:qualifier]}, unique within its source. */
    static String function(PartitionKey k) {
        return (k.namespace() == null ? "" : k.namespace() + "/")
                + k.function()
                + (k.qualifier() == null ? "" : ":" + k.qualifier());
    }
}
