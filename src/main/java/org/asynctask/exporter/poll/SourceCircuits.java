package org.asynctask.exporter.poll;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.asynctask.exporter.config.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each source's circuit breaker: after {@code breakerFailures} polls in a row failed at the provider, all of the
 * source's partitions pause (open), then one trial poll goes (half-open); a success closes it, a failed trial opens
 * it for twice as long. Not thread-safe: the {@link PollScheduler} calls it under its own lock.
 */
final class SourceCircuits {
    private static final Logger LOG = LoggerFactory.getLogger(SourceCircuits.class);

    /** One source's circuit: closed while {@code openUntilMs} is 0. */
    private static final class Breaker {
        int failuresInARow;
        int trips;
        long openUntilMs;
        /** Half-open: the one trial poll is in flight. */
        boolean trial;
    }

    private final Clock clock;
    private final RetryPolicy policy;
    private final Map<String, Breaker> breakers = new HashMap<>();

    SourceCircuits(Clock clock, RetryPolicy policy) {
        this.clock = clock;
        this.policy = policy;
    }

    /** Closed, or open with its pause over and no trial yet (which this poll then becomes). */
    boolean admits(String source, long now) {
        Breaker b = breakers.get(source);
        if (b == null || b.openUntilMs == 0) {
            return true;
        }
        if (b.trial || now < b.openUntilMs) {
            return false;
        }
        b.trial = true;
        return true;
    }

    boolean isOpen(String source) {
        Breaker b = breakers.get(source);
        return b != null && b.openUntilMs != 0;
    }

    /** Until when the source's partitions wait (0: closed). */
    long openUntilMs(String source) {
        Breaker b = breakers.get(source);
        return b == null ? 0 : b.openUntilMs;
    }

    /** Sources whose circuit is open now. */
    Set<String> open() {
        Set<String> open = new LinkedHashSet<>();
        breakers.forEach((source, b) -> {
            if (b.openUntilMs != 0) {
                open.add(source);
            }
        });
        return open;
    }

    /** A poll of the source failed at the provider. */
    void failed(String source) {
        Breaker b = breakers.computeIfAbsent(source, s -> new Breaker());
        b.failuresInARow++;
        boolean trialFailed = b.trial;
        b.trial = false;
        if (trialFailed || (b.openUntilMs == 0 && b.failuresInARow >= policy.breakerFailures())) {
            long pause = Math.min(
                    policy.maxBackoff().toMillis(), policy.breakerOpenFor().toMillis() << Math.min(b.trips, 20));
            b.trips++;
            b.openUntilMs = clock.millis() + pause;
            LOG.warn(
                    "source '{}': {} poll(s) in a row failed; pausing all its partitions for {} s (circuit open), then one tries",
                    source,
                    b.failuresInARow,
                    pause / 1000);
        }
    }

    /** A poll of the source committed something: its circuit closes. */
    void succeeded(String source) {
        Breaker b = breakers.remove(source);
        if (b != null && b.openUntilMs != 0) {
            LOG.info("source '{}': a poll succeeded; circuit closed, all partitions polled again", source);
        }
    }
}
