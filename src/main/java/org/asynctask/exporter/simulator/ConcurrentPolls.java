package org.asynctask.exporter.simulator;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The list requests of each partition (provider, namespace, function, qualifier) being answered at the same
 * time, and the most there ever were: one exporter polls a partition one request at a time, so more than one
 * means two pollers of it (two group members holding one shard). A hold keeps each request open a little
 * (set by tests), so that two pollers' requests overlap where they would otherwise rarely meet.
 */
public final class ConcurrentPolls {
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Map<String, Integer> most = new HashMap<>();
    private volatile Duration hold = Duration.ZERO;

    /** Each list request from now on is held this long before it is answered. */
    public void hold(Duration hold) {
        this.hold = hold;
    }

    /** Counts a list request of {@code partition} until the returned handle is closed, after the hold. */
    Request enter(String partition) {
        synchronized (this) {
            int now = inFlight.merge(partition, 1, Integer::sum);
            most.merge(partition, now, Math::max);
        }
        Duration h = hold;
        if (!h.isZero()) {
            try {
                Thread.sleep(h.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return () -> {
            synchronized (this) {
                inFlight.merge(partition, -1, Integer::sum);
            }
        };
    }

    /** Per partition, the most list requests answered at once since the start or the last {@link #reset}. */
    public synchronized Map<String, Integer> most() {
        return new HashMap<>(most);
    }

    /** Forgets the most so far (e.g. before a zombie wakes, which polls alongside its successor by design). */
    public synchronized void reset() {
        most.clear();
    }

    /** A request being answered. */
    interface Request extends AutoCloseable {
        @Override
        void close();
    }
}
