package org.asynctask.exporter.config;

import java.time.Duration;

/**
 * When a scan that is catching up commits: once {@code maxEvents} changes are waiting, or the oldest
 * waiting page is {@code maxDelay} old, whichever comes first (and always at the end of a scan or of a
 * poll). Larger batches mean fewer checkpoint writes, fsyncs and Kafka round trips; a crash replays at
 * most one batch, with the same event ids.
 *
 * @param maxEvents {@code exporter.commit.max-events}
 * @param maxDelay  {@code exporter.commit.max-delay}: also bounds how late a catch-up's events are written
 */
public record CommitPolicy(int maxEvents, Duration maxDelay) {
    /** A commit after every page. */
    public static final CommitPolicy EVERY_PAGE = new CommitPolicy(0, Duration.ZERO);

    public boolean due(int waitingEvents, long waitingNanos) {
        return waitingEvents >= maxEvents || waitingNanos >= maxDelay.toNanos();
    }
}
