package org.asynctask.exporter.poll;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client-side request rate limits, one sliding window per key: every source that uses the same
 * credentials of a provider shares the limit (Tencent documents 20 requests per second). A caller over
 * the limit waits for a free slot instead of being refused by the provider.
 *
 * <p>A request is counted when it is sent but the provider counts it when it arrives; delays on the way
 * (other threads, the network) can bunch arrivals. So the window is a little longer than a second:
 * N requests per 1.2 s, which the provider never sees as more than N in one second.
 */
public final class RequestRateLimiter {
    private static final long WINDOW_NANOS = 1_200_000_000L;
    private final Map<String, ArrayDeque<Long>> windows = new ConcurrentHashMap<>();
    /** Per key, the part of its limit this exporter may use (group mode); a key not here has all of it. */
    private volatile Map<String, Double> shares = Map.of();

    /**
     * Group mode: the members share each account's limit, each in proportion to the account's partitions it
     * polls (every member knows every partition and which shard each belongs to, so the shares add up to
     * the limit without any talk between members). A member polling none of an account's partitions keeps
     * one request a second for it (discovery).
     */
    public void share(Map<String, Double> shares) {
        this.shares = Map.copyOf(shares);
    }

    /** The limit this exporter keeps for {@code key}: its share of {@code perSecond}, at least 1. */
    int limitOf(String key, int perSecond) {
        Double share = shares.get(key);
        return share == null ? perSecond : Math.max(1, (int) Math.floor(perSecond * share));
    }

    /**
     * Blocks until one more request fits under {@code perSecond} for {@code key}.
     *
     * @param perSecond 0 or less: no limit
     * @return how long it waited, in nanoseconds
     */
    public long acquire(String key, int perSecond) throws InterruptedException {
        if (perSecond <= 0) {
            return 0;
        }
        int limit = limitOf(key, perSecond);
        long start = System.nanoTime();
        ArrayDeque<Long> sent = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (sent) {
            while (true) {
                long now = System.nanoTime();
                while (!sent.isEmpty() && now - sent.peekFirst() >= WINDOW_NANOS) {
                    sent.pollFirst();
                }
                if (sent.size() < limit) {
                    sent.addLast(now);
                    return now - start;
                }
                long waitNanos = sent.peekFirst() + WINDOW_NANOS - now;
                sent.wait(Math.max(1, waitNanos / 1_000_000), (int) (waitNanos % 1_000_000));
            }
        }
    }

    /**
     * How long a request would wait now, without taking a slot: a poll starts only when its first request
     * can go (threads that ask at the same moment may still wait a little in {@link #acquire}).
     *
     * @param perSecond 0 or less: no limit
     * @return 0 when a slot is free, else the nanoseconds until one is
     */
    public long nanosUntilFree(String key, int perSecond) {
        if (perSecond <= 0) {
            return 0;
        }
        ArrayDeque<Long> sent = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (sent) {
            long now = System.nanoTime();
            while (!sent.isEmpty() && now - sent.peekFirst() >= WINDOW_NANOS) {
                sent.pollFirst();
            }
            return sent.size() < limitOf(key, perSecond) ? 0 : Math.max(1, sent.peekFirst() + WINDOW_NANOS - now);
        }
    }
}
