package org.asynctask.exporter.app;

import org.apache.camel.spi.ShutdownStrategy;
import org.asynctask.exporter.poll.PollStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The last line of a run: how it stopped, what it published, and what the checkpoints cover. */
final class StopSummary {
    /** ExporterApp's: what users' logging configurations name. */
    private static final Logger LOG = LoggerFactory.getLogger(ExporterApp.class);

    private StopSummary() {}

    /** @param shutdown Camel's, null when Camel never had a context */
    static void log(boolean started, ShutdownStrategy shutdown, PollStats stats) {
        if (!started) {
            LOG.info("stopped: the start failed, nothing was polled");
        } else if (shutdown != null && shutdown.isTimeoutOccurred()) {
            LOG.warn(
                    "stopped by force after the shutdown timeout ({} s): polls still in flight were cut short; {} event(s) "
                            + "published in {} poll(s); the checkpoints cover only what was delivered, the next start polls the rest "
                            + "again and may repeat some events",
                    shutdown.getTimeout(),
                    stats.events.get(),
                    stats.polls.get());
        } else {
            LOG.info(
                    "stopped cleanly: {} event(s) published in {} poll(s); checkpoints cover exactly what was delivered",
                    stats.events.get(),
                    stats.polls.get());
        }
    }
}
