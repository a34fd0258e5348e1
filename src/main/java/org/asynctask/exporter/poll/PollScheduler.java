package org.asynctask.exporter.poll;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.asynctask.exporter.provider.PartitionKey;

/**
 * Decides which partitions are due. A partition is never polled twice at the same time; after a
 * failure it waits with exponential back-off and jitter (the retry policy lives here and nowhere
 * else); a scan that stopped at the page limit continues at once.
 */
public final class PollScheduler {
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

    private final Clock clock;
    private final Duration maxBackoff;
    private final Map<PartitionKey, Entry> entries = new LinkedHashMap<>();

    private final Map<String, Set<PartitionKey>> discovered = new HashMap<>();

    private static final class Entry {
        final PollTarget target;
        long dueMs;
        boolean inFlight;
        int failures;
        /** Discovery no longer lists it: dropped once its poll in flight is done. */
        boolean retired;

        Entry(PollTarget target, long dueMs) {
            this.target = target;
            this.dueMs = dueMs;
        }
    }

    public PollScheduler(List<PollTarget> targets, Clock clock, Duration maxBackoff) {
        this.clock = clock;
        this.maxBackoff = maxBackoff;
        long now = clock.millis();
        for (PollTarget t : targets) {
            entries.put(t.key(), new Entry(t, now));
        }
    }

    /** The partitions due now, marked in flight. Called by the schedule route on every tick. */
    public synchronized List<PollTarget> due() {
        long now = clock.millis();
        List<PollTarget> due = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (!e.inFlight && e.dueMs <= now) {
                e.inFlight = true;
                due.add(e.target);
            }
        }
        return due;
    }

    /** What a discovery changed. */
    public record Change(List<PartitionKey> added, List<PartitionKey> removed) {
    }

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
                entries.put(t.key(), new Entry(t, clock.millis()));
                now.add(t.key());
                added.add(t.key());
            }
        }
        List<PartitionKey> removed = new ArrayList<>();
        for (PartitionKey k : before) {
            if (!now.contains(k)) {
                Entry e = entries.get(k);
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

    /** The partitions polled now (for tests and progress lines). */
    public synchronized List<PartitionKey> polled() {
        return entries.values().stream().filter(e -> !e.retired).map(e -> e.target.key()).toList();
    }

    /** @return the entry, or null when it was retired (and is now dropped) */
    private Entry settle(PollTarget target) {
        Entry e = entries.get(target.key());
        if (e == null) {
            return null;
        }
        e.inFlight = false;
        if (e.retired) {
            entries.remove(target.key());
            return null;
        }
        return e;
    }

    public synchronized void succeeded(PollTarget target, boolean moreToFetch) {
        Entry e = settle(target);
        if (e == null) {
            return;
        }
        e.failures = 0;
        e.dueMs = clock.millis() + (moreToFetch ? 0 : target.source().interval().toMillis());
    }

    /**
     * @param progressed the poll committed something before it failed: the trouble is not persistent,
     *                   so the back-off starts over instead of growing
     * @return how long the partition now waits before its next try
     */
    public synchronized Duration failed(PollTarget target, boolean retriable, boolean progressed) {
        Entry e = settle(target);
        if (e == null) {
            return Duration.ZERO;
        }
        e.failures = progressed ? 1 : e.failures + 1;
        Duration wait = retriable ? backoff(e.failures) : maxBackoff;
        e.dueMs = clock.millis() + wait.toMillis();
        return wait;
    }

    /** 1s, 2s, 4s … capped, then a random 50–100% of it so that many partitions do not retry in step. */
    Duration backoff(int failures) {
        long capped = Math.min(maxBackoff.toMillis(), FIRST_RETRY.toMillis() << Math.min(failures - 1, 20));
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }
}
