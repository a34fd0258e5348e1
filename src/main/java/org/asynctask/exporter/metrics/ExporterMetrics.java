package org.asynctask.exporter.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.task.StatusChange;

/**
 * The exporter's Prometheus metrics (docs/metrics-and-alerting.md): {@code asynctask_exporter_*} about the exporter,
 * {@code asynctask_*} about the tasks. Labels are bounded: source, provider, function, status, outcome,
 * error kind; never a task id. Per-partition gauges read a snapshot taken when a poll ends, never the
 * state a poll thread is changing.
 */
public final class ExporterMetrics {
    private final MeterRegistry registry;
    private final EventMetrics events;
    private final PartitionGauges partitions;
    private final AtomicInteger shardsHeld = new AtomicInteger();
    /** Registered once, in group mode only. */
    private Gauge shardsHeldGauge;

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

    public ExporterMetrics(MeterRegistry registry, Clock clock) {
        this(registry, clock, false);
    }

    public ExporterMetrics(MeterRegistry registry, Clock clock, boolean durationByFunction) {
        this.registry = registry;
        this.events = new EventMetrics(registry, durationByFunction);
        this.partitions = new PartitionGauges(registry, clock);
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

    /** Events made durable, and for finished tasks the task metrics. */
    public void published(List<StatusChange> changes) {
        events.published(changes);
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
        return partitions.pollSucceeded(t, state, scannedToMs);
    }

    /** The partition's state as of its last successful poll, or null before its first. */
    public PartitionSnapshot snapshot(PartitionKey key) {
        return partitions.snapshot(key);
    }

    /**
     * Discovery no longer lists the partition: its gauges go, so that dashboards do not show a frozen lag.
     * (Counters stay: they are totals.)
     */
    public void forget(PartitionKey key) {
        partitions.forget(key);
    }

    /** Every partition {@code moved} accepts: they went to another member of the group, which reports them now. */
    public void forgetAll(Predicate<PartitionKey> moved) {
        partitions.forgetAll(moved);
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

    /** A polled function: {@code [namespace/]function[:qualifier]}, unique within its source. */
    static String function(PartitionKey k) {
        return (k.namespace() == null ? "" : k.namespace() + "/")
                + k.function()
                + (k.qualifier() == null ? "" : ":" + k.qualifier());
    }
}
