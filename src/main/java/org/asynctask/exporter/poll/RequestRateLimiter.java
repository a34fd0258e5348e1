package org.asynctask.exporter.poll;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client-side request rate limits, one sliding one-second window per key: every source that uses the
 * same credentials of a provider shares the limit (Tencent documents 20 requests per second). A
 * caller over the limit waits for a free slot instead of being refused by the provider.
 */
public final class RequestRateLimiter {
    private static final long SECOND_NANOS = 1_000_000_000L;
    private final Map<String, ArrayDeque<Long>> windows = new ConcurrentHashMap<>();

    /**
     * Blocks until one more request fits under {@code perSecond} for {@code key}.
     *
     * @param perSecond 0 or less: no limit
     */
    public void acquire(String key, int perSecond) throws InterruptedException {
        if (perSecond <= 0) {
            return;
        }
        ArrayDeque<Long> sent = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (sent) {
            while (true) {
                long now = System.nanoTime();
                while (!sent.isEmpty() && now - sent.peekFirst() >= SECOND_NANOS) {
                    sent.pollFirst();
                }
                if (sent.size() < perSecond) {
                    sent.addLast(now);
                    return;
                }
                long waitNanos = sent.peekFirst() + SECOND_NANOS - now;
                sent.wait(Math.max(1, waitNanos / 1_000_000), (int) (waitNanos % 1_000_000));
            }
        }
    }
}
