package org.asynctask.exporter.task;

import java.time.Instant;
import java.util.function.Function;

/**
 * Decides whether an observed task is a status change worth publishing, against what was last
 * published for it. Changes are detected on the raw provider status, so a move the normalized
 * status cannot show (FC 3.0 Enqueued to Dequeued, both QUEUED) is still reported, and nothing the
 * provider said is lost.
 */
public final class ChangeDetector {
    private final Function<String, TaskStatus> statusTable;

    /** @param statusTable the provider's raw-to-normalized status mapping, to restate the previous status */
    public ChangeDetector(Function<String, TaskStatus> statusTable) {
        this.statusTable = statusTable;
    }

    /** @return the change to publish, or null when the task's status is the one already published */
    public StatusChange detect(Task observed, TrackedTask previous) {
        if (previous != null && previous.providerStatus().equals(observed.providerStatus())) {
            return null;
        }
        TaskStatus previousStatus = previous == null ? null : statusTable.apply(previous.providerStatus());
        return new StatusChange(EventIds.of(observed), previousStatus,
                previous == null ? null : previous.providerStatus(), observed, eventTime(observed));
    }

    /**
     * When the new status began: the provider's own status time when it has one; otherwise the end
     * time for a final status, or the start time. Deliberately not "now": the event must be the
     * same when a poll is replayed.
     */
    static Instant eventTime(Task task) {
        if (task.statusTime() != null) {
            return task.statusTime();
        }
        if (task.terminal() && task.endedAt() != null) {
            return task.endedAt();
        }
        return task.startedAt();
    }

    public static TrackedTask track(Task task) {
        return new TrackedTask(task.providerStatus(), task.startedAt().toEpochMilli(), task.terminal());
    }
}
