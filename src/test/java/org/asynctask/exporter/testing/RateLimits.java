package org.asynctask.exporter.testing;

import org.asynctask.exporter.poll.RequestRateLimiter;

/** What a rate limiter lets through, for tests. */
public final class RateLimits {
    private RateLimits() {}

    /** Takes every request of {@code key} that is free now (at most 1,000); returns how many. */
    public static int freeNow(RequestRateLimiter limiter, String key, int perSecond) throws InterruptedException {
        int taken = 0;
        while (limiter.nanosUntilFree(key, perSecond) == 0 && taken < 1_000) {
            limiter.acquire(key, perSecond);
            taken++;
        }
        return taken;
    }
}
