package org.asynctask.exporter.poll;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.asynctask.exporter.config.RetryPolicy;
import org.asynctask.exporter.metrics.PartitionState;
import org.asynctask.exporter.metrics.PollingView;
import org.asynctask.exporter.provider.PartitionKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which partitions are due: the retry policy lives here and nowhere else. A partition is never
 * polled twice at the same time; after a failure it waits with exponential back-off and jitter, or as
 * long as the provider's Retry-After asks; a scan that stopped at the page limit continues at once.
 *
 * <p>Each source has a circuit breaker: after {@link RetryPolicy#breakerFailures()} failed polls in a row
 * over all its partitions (a broken account, an endpoint down), the whole source pauses, so that its
 * partitions stop holding poll threads and rate-limit slots the other sources need. After the pause one
 * partition tries; if it fails, the pause doubles.
 */
public final class PollScheduler implements PollingView {
    private static final Logger LOG = LoggerFactory.getLogger(PollScheduler.class);

    private final Clock clock;
    private final RetryPolicy policy;
    private final Map<PartitionKey, ScheduledPartition> entries = new LinkedHashMap<>();
    /** Guarded by this scheduler's lock, like the entries. */
    private final SourceCircuits circuits;

    private final Map<String, Set<PartitionKey>> discovered = new HashMap<>();
    /** Partitions handed out and not settled yet: waiting in the poll queue, or being polled. */
    private int inFlight;

    private final int maxInFlight;

    /** The partitions this exporter polls: in group mode those of the shards it holds; else all. */
    private volatile Predicate<PartitionKey> owned = key -> true;

    /**
     * How a poll failed.
     *
     * @param progressed   it committed something first: the trouble is not persistent
     * @param fromProvider the provider (or the way to it) failed, not our sink or store: only this counts
     *                     towards the source's circuit, which pauses a source that is broken, not all of them
     *                     while the output is
     */
    public record Failure(
            boolean retriable, boolean progressed, Duration retryAfter, String reason, boolean fromProvider) {}

    public PollScheduler(List<PollTarget> targets, Clock clock, RetryPolicy policy) {
        this(targets, clock, policy, Integer.MAX_VALUE);
    }

    /**
     * @param maxInFlight partitions handed out at most at once: what the poll threads and their queue
     *                    hold, so that a hand-off never finds the queue full
     */
    public PollScheduler(List<PollTarget> targets, Clock clock, RetryPolicy policy, int maxInFlight) {
        this.clock = clock;
        this.policy = policy;
        this.circuits = new SourceCircuits(clock, policy);
        this.maxInFlight = maxInFlight;
        long now = clock.millis();
        for (PollTarget t : targets) {
            entries.put(t.key(), new ScheduledPartition(t, now));
        }
    }

    /**
     * From now on only partitions {@code owned} accepts are handed out (group mode: the shards held). The
     * others keep their place, due times and back-off, and are polled again once they are owned again.
     */
    public void pollOnly(Predicate<PartitionKey> owned) {
        this.owned = owned;
    }

    /**
     * Per rate-limit key (an account's credentials), the share of its partitions this exporter polls: all
     * of them but in group mode, where the members split each account's rate limit by these shares.
     */
    public synchronized Map<String, Double> ownedShareByRateLimitKey() {
        Map<String, int[]> counts = new HashMap<>();
        for (ScheduledPartition e : entries.values()) {
            int[] ownedOfAll = counts.computeIfAbsent(e.target.source().rateLimitKey(), k -> new int[2]);
            ownedOfAll[1]++;
            if (owned.test(e.target.key())) {
                ownedOfAll[0]++;
            }
        }
        Map<String, Double> shares = new HashMap<>();
        counts.forEach((key, ownedOfAll) -> shares.put(key, ownedOfAll[0] / (double) ownedOfAll[1]));
        return shares;
    }

    /** This exporter polls the partition now. */
    public boolean owns(PartitionKey key) {
        return owned.test(key);
    }

    /**
     * Waits until no partition {@code which} accepts is in flight (handed out, queued or being polled), at most
     * {@code atMost}: after a hand-over, for the polls started before it to publish and commit.
     *
     * @return false when some were still in flight at the end
     */
    public synchronized boolean awaitNoneInFlight(Predicate<PartitionKey> which, Duration atMost)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (entries.values().stream().anyMatch(e -> e.inFlight && which.test(e.target.key()))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // Settling does not notify: a short wait keeps that out of every poll's path.
            wait(Math.max(1, Math.min(20, left / 1_000_000)));
        }
        return true;
    }

    private boolean live(ScheduledPartition e) {
        return !e.retired && owned.test(e.target.key());
    }

    /**
     * The partitions due now, marked in flight: the longest overdue first, and no more than the poll
     * queue has room for. The others stay due and go at a later tick, however many there are.
     * Called by the schedule route on every tick.
     */
    public synchronized List<PollTarget> due() {
        long now = clock.millis();
        List<ScheduledPartition> candidates = new ArrayList<>();
        for (ScheduledPartition e : entries.values()) {
            if (!e.inFlight && e.dueMs <= now && e.notBeforeMs <= now && owned.test(e.target.key())) {
                candidates.add(e);
            }
        }
        candidates.sort(Comparator.comparingLong(e -> e.dueMs));
        List<PollTarget> due = new ArrayList<>();
        for (ScheduledPartition e : candidates) {
            if (inFlight >= maxInFlight) {
                break;
            }
            if (circuits.admits(e.target.source().name(), now)) {
                e.inFlight = true;
                e.startedMs = now;
                inFlight++;
                due.add(e.target);
            }
        }
        return due;
    }

    /**
     * The poll queue did not take the partition (full, or stopping): it is due again at once, not lost.
     * The schedule route calls this when its hand-off fails.
     */
    public synchronized void handOffFailed(PollTarget target) {
        ScheduledPartition e = entries.get(target.key());
        if (e != null && e.inFlight) {
            e.inFlight = false;
            inFlight--;
            if (e.retired) {
                entries.remove(target.key());
            }
        }
    }

    /** What a discovery changed. */
    public record Change(List<PartitionKey> added, List<PartitionKey> removed) {}

    /**
     * Makes the discovered partitions of a source exactly {@code found}: new ones are polled at once,
     * ones no longer found stop being polled (their checkpoints stay, should they come back). Partitions
     * the configuration lists are never touched.
     */
    public synchronized Change replaceDiscovered(String source, List<PollTarget> found) {
        Set<PartitionKey> before = discovered.getOrDefault(source, Set.of());
        Set<PartitionKey> now = new LinkedHashSet<>();
        List<PartitionKey> added = new ArrayList<>();
        for (PollTarget t : found) {
            if (before.contains(t.key())) {
                now.add(t.key());
            } else if (!entries.containsKey(t.key())) {
                entries.put(t.key(), new ScheduledPartition(t, clock.millis()));
                now.add(t.key());
                added.add(t.key());
            }
        }
        List<PartitionKey> removed = new ArrayList<>();
        for (PartitionKey k : before) {
            if (!now.contains(k)) {
                ScheduledPartition e = entries.get(k);
                if (e != null && e.inFlight) {
                    e.retired = true;
                } else {
                    entries.remove(k);
                }
                removed.add(k);
            }
        }
        discovered.put(source, now);
        return new Change(added, removed);
    }

    /** Stops polling a partition for good (a backfill partition that reached the end of its window). */
    public synchronized void finish(PartitionKey key) {
        entries.remove(key);
    }

    /** The partitions polled now (for tests and progress lines). */
    public synchronized List<PartitionKey> polled() {
        return entries.values().stream()
                .filter(this::live)
                .map(e -> e.target.key())
                .toList();
    }

    /** The partitions of one source polled now (for progress lines). */
    public synchronized List<PartitionKey> polled(String source) {
        return entries.values().stream()
                .filter(e -> live(e) && e.target.source().name().equals(source))
                .map(e -> e.target.key())
                .toList();
    }

    /** Partitions whose last poll failed with an error that needs a fix, and why. They are retried every max-backoff. */
    public synchronized Map<PartitionKey, String> failedPartitions() {
        Map<PartitionKey, String> failed = new LinkedHashMap<>();
        entries.values().stream()
                .filter(e -> e.failedFor != null && live(e))
                .forEach(e -> failed.put(e.target.key(), e.failedFor));
        return failed;
    }

    @Override
    public synchronized List<PartitionState> states() {
        return entries.values().stream()
                .filter(this::live)
                .map(e -> e.state(circuits.isOpen(e.target.source().name())))
                .toList();
    }

    @Override
    public synchronized String problems(String source) {
        StringBuilder why = new StringBuilder();
        for (ScheduledPartition e : entries.values()) {
            if (e.failedFor != null && live(e) && e.target.source().name().equals(source)) {
                why.append(why.length() == 0 ? "" : "; ")
                        .append(e.target.key().displayName())
                        .append(": ")
                        .append(e.failedFor);
            }
        }
        if (circuits.isOpen(source)) {
            why.append(why.length() == 0 ? "" : "; ").append("circuit open after repeated failed polls");
        }
        return why.length() == 0 ? null : why.toString();
    }

    /** Sources whose circuit is open now. */
    public synchronized Set<String> pausedSources() {
        return circuits.open();
    }

    /** @return the entry, or null when it was retired (and is now dropped) */
    private ScheduledPartition settle(PollTarget target) {
        ScheduledPartition e = entries.get(target.key());
        if (e == null) {
            return null;
        }
        if (e.inFlight) {
            e.inFlight = false;
            inFlight--;
        }
        if (e.retired) {
            entries.remove(target.key());
            return null;
        }
        return e;
    }

    /** @return false when discovery dropped the partition meanwhile (its poll was the last) */
    public synchronized boolean succeeded(PollTarget target, boolean moreToFetch) {
        circuits.succeeded(target.source().name());
        ScheduledPartition e = settle(target);
        if (e == null) {
            return false;
        }
        if (e.succeeded(moreToFetch, clock.millis())) {
            LOG.info("{}: polling works again", target);
        }
        return true;
    }

    /**
     * The partition's provider account has no request left in its rate limit now: the poll did not start,
     * and the partition is due again once a request fits. Nothing failed; the poll thread is free for
     * other sources' partitions instead of waiting out this account's limit.
     */
    public synchronized void deferred(PollTarget target, Duration wait) {
        ScheduledPartition e = settle(target);
        if (e != null) {
            // Not a new due time: a partition put off again and again would then always be the least overdue,
            // and those of its account that did get polled would take every free request.
            e.notBeforeMs = clock.millis() + Math.max(1, wait.toMillis());
        }
    }

    /** @return how long the partition now waits before its next try */
    public synchronized Duration failed(PollTarget target, Failure failure) {
        String source = target.source().name();
        if (failure.progressed()) {
            circuits.succeeded(source);
        } else if (failure.fromProvider()) {
            circuits.failed(source);
        }
        ScheduledPartition e = settle(target);
        if (e == null) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(e.failed(failure, policy, clock.millis(), circuits.openUntilMs(source)));
    }

    /** See {@link ScheduledPartition#backoff}. */
    Duration backoff(int failures) {
        return ScheduledPartition.backoff(failures, policy.maxBackoff());
    }
}
