package org.asynctask.exporter.metrics;

import org.asynctask.exporter.provider.PartitionKey;

/**
 * How one partition's polling goes, for the {@code status} command and endpoint.
 *
 * @param lastPollMs       when its last poll started, 0 before the first
 * @param failuresInARow   failed polls since the last success
 * @param needsFix         why its last poll failed for good (bad credentials, missing function), else null
 * @param lastError        its last failure of any kind, also after it recovered (null if none), at {@code lastErrorMs}
 */
public record PartitionState(
        PartitionKey key,
        boolean polling,
        long lastPollMs,
        int failuresInARow,
        String needsFix,
        String lastError,
        long lastErrorMs,
        boolean sourcePaused) {}
