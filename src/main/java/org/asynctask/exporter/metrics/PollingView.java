package org.asynctask.exporter.metrics;

import java.util.List;

/**
 * What status and health read of the polling, and nothing else: the poll scheduler is this view, so
 * metrics and status depend on the view, not on the poll package that writes them.
 */
public interface PollingView {
    /** Every polled partition, as it goes now (a copy). */
    List<PartitionState> states();

    /**
     * Why a source is not ready, or null when it is: partitions failed with errors that need a fix, or its
     * circuit is open after repeated failed polls. Credentials are masked by the callers' redaction.
     */
    String problems(String source);
}
