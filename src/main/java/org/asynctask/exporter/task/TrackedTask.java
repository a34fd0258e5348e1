package org.asynctask.exporter.task;

/**
 * What a partition remembers about a task between polls: the last published raw status, the start time
 * (which decides when the task may be forgotten), and where its history stands. Kept small on purpose:
 * a partition can track many open tasks.
 *
 * @param statusTimeMs the provider's time of the last published status when it came from the task's
 *                     history ({@link HistoryEntry}); 0 when it was published as polled, undated
 */
public record TrackedTask(String providerStatus, long startedAtMs, boolean terminal, long statusTimeMs) {
    public TrackedTask(String providerStatus, long startedAtMs, boolean terminal) {
        this(providerStatus, startedAtMs, terminal, 0);
    }
}
