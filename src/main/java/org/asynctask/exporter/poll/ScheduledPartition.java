package org.asynctask.exporter.poll;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.asynctask.exporter.config.RetryPolicy;
import org.asynctask.exporter.metrics.PartitionState;

/**
 * One partition in the {@link PollScheduler}: when it is due, whether a poll of it is out, and how its polls
 * failed, with the retry rules that follow from that. Guarded by the scheduler's lock.
 */
final class ScheduledPartition {
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

    final PollTarget target;
    long dueMs;
    /** Put off by its account's rate limit until then; it keeps its due time, and so its place in line. */
    long notBeforeMs;

    boolean inFlight;
    /** When the poll in flight was handed out. */
    long startedMs;

    int failures;
    /** Why the last poll failed for good (an error that needs a fix), or null. */
    String failedFor;
    /** Discovery no longer lists it: dropped once its poll in flight is done. */
    boolean retired;
    /** The last failure of any kind, kept after later successes so that the status can show it; 0 = never. */
    String lastError;

    long lastErrorMs;

    ScheduledPartition(PollTarget target, long dueMs) {
        this.target = target;
        this.dueMs = dueMs;
    }

    /**
     * Due again one interval after the start of this poll, not its end: a change waits at most an interval plus
     * the time the scan takes to reach it, however long the poll itself took. Adaptive: pages still came back
     * full (catching up), so it goes on at once; the rate limiter paces it.
     *
     * @return it had failed for good before (it works again)
     */
    boolean succeeded(boolean moreToFetch, long nowMs) {
        boolean recovered = failedFor != null;
        failures = 0;
        failedFor = null;
        dueMs = moreToFetch && target.source().scan().adaptive()
                ? nowMs
                : Math.max(nowMs, startedMs + target.source().interval().toMillis());
        return recovered;
    }

    /**
     * Back-off after a retriable failure, max-backoff after one that needs a fix, longer if the provider's
     * Retry-After asks (capped at max-backoff), and never before the source's circuit closes.
     *
     * @return how long it now waits, in ms
     */
    long failed(PollScheduler.Failure failure, RetryPolicy policy, long nowMs, long circuitOpenUntilMs) {
        failures = failure.progressed() ? 1 : failures + 1;
        lastError = failure.reason();
        lastErrorMs = nowMs;
        failedFor = failure.retriable() ? null : failure.reason();
        long waitMs = failure.retriable()
                ? backoff(failures, policy.maxBackoff()).toMillis()
                : policy.maxBackoff().toMillis();
        if (failure.retryAfter() != null) {
            waitMs = Math.max(
                    waitMs,
                    Math.min(
                            failure.retryAfter().toMillis(), policy.maxBackoff().toMillis()));
        }
        dueMs = Math.max(nowMs + waitMs, circuitOpenUntilMs);
        return dueMs - nowMs;
    }

    PartitionState state(boolean circuitOpen) {
        return new PartitionState(
                target.key(), inFlight, startedMs, failures, failedFor, lastError, lastErrorMs, circuitOpen);
    }

    /** 1s, 2s, 4s … capped, then a random 50–100% of it so that many partitions do not retry in step. */
    static Duration backoff(int failures, Duration maxBackoff) {
        long capped = Math.min(maxBackoff.toMillis(), FIRST_RETRY.toMillis() << Math.min(failures - 1, 20));
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }
}
