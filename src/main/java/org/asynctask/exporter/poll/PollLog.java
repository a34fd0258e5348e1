package org.asynctask.exporter.poll;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the log says about polls: a line per poll at DEBUG, the progress line of each source
 * ({@link SourceProgress}), a failed poll's warning or error, and the tasks dropped for being open too long.
 */
final class PollLog {
    /** Poller's: what users' logging configurations name. */
    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

    private final PollStats stats;
    private final SourceProgress progress;

    PollLog(PollStats stats, SourceProgress progress) {
        this.stats = stats;
        this.progress = progress;
    }

    void dropped(PollTarget target, List<String> dropped) {
        LOG.warn(
                "{}: stopped tracking {} task(s) open for longer than max-open-age: {}",
                target,
                dropped.size(),
                dropped);
    }

    void succeeded(
            PollTarget target, CycleReport report, long openTasks, long tookNanos, long watermarkMs, long nowMs) {
        LOG.debug(
                "{}: {} event(s), {} API call(s) ({} page(s), {} status check(s), {} look-up(s)), {} open task(s) tracked, {} ms{}",
                target,
                report.events,
                report.apiCalls,
                report.pages,
                report.checks,
                report.lookups,
                openTasks,
                tookNanos / 1_000_000,
                report.moreToFetch ? ", more to fetch" : "");
        progressLine(progress.polled(target, report.events, report.apiCalls, openTasks, watermarkMs, nowMs));
    }

    /** @param report what the poll did before it failed; null if it failed before it began */
    void failed(PollTarget target, CycleReport report, boolean retriable, Duration wait, String reason, long nowMs) {
        if (report != null) {
            progressLine(progress.failed(target, report.events, report.apiCalls, nowMs));
        }
        if (retriable) {
            LOG.warn("{}: poll failed, retrying in {} s: {}", target, seconds(wait), reason);
        } else {
            LOG.error(
                    "{}: FAILED, needs a fix (check credentials, function name, configuration); the other partitions "
                            + "carry on, this one tries again in {} s: {}",
                    target,
                    seconds(wait),
                    reason);
        }
    }

    private void progressLine(String line) {
        if (line != null) {
            LOG.info("{} | total {} events, {} calls", line, stats.events.get(), stats.apiCalls.get());
        }
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }
}
