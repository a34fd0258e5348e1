package org.asynctask.exporter.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Decides which transitions of an observed task are new, against what was last published for it, and
 * makes each one's event. Changes are detected on the raw provider status, so a move the normalized
 * status cannot show (FC 3.0 Enqueued to Dequeued, both QUEUED) is still reported.
 *
 * <p>Where the provider records the task's transitions (FC {@code events}), every one not published yet
 * is published, in order, dated by the provider; a task that went Enqueued, Dequeued and Running between
 * two polls gives three events, and one that went Running, Retrying, Running gives the Retrying and the
 * second Running. Where it does not (or its history is behind the status it reports), the polled status
 * is published when it differs from the last published one. A history whose last entry is a final
 * status wins over a polled status that says otherwise (the seed sample has {@code status: Running} with
 * a {@code Succeeded} event): a task does not come back from its end.
 *
 * <p>Every event is a pure function of the provider's data for that transition: the task as of it
 * ({@link Task#asOf}), its id ({@link EventIds}), its time and, only from the history, the status
 * before it. So the same transition gives the same bytes whenever and by whichever path it is published.
 */
public final class ChangeDetector {
    private final Function<String, TaskStatus> statusTable;

    /** What changed: the events to publish, in order, and what to remember of the task after them. */
    public record Detected(List<StatusChange> changes, TrackedTask tracked) {
        static final Detected NOTHING = new Detected(List.of(), null);
    }

    /** @param statusTable the provider's raw-to-normalized status mapping */
    public ChangeDetector(Function<String, TaskStatus> statusTable) {
        this.statusTable = statusTable;
    }

    /** @param previous what was last published for the task, or null if nothing was */
    public Detected detect(Task observed, TrackedTask previous) {
        if (previous != null && previous.terminal()) {
            return Detected.NOTHING;
        }
        List<HistoryEntry> history = observed.history();
        if (history == null || history.isEmpty()) {
            return previous != null && previous.providerStatus().equals(observed.providerStatus())
                    ? Detected.NOTHING
                    : new Detected(List.of(polled(observed)), track(observed, observed.terminal(), 0));
        }
        List<StatusChange> changes = new ArrayList<>();
        TrackedTask tracked = previous;
        for (int i = unpublished(history, previous); i < history.size(); i++) {
            HistoryEntry entry = history.get(i);
            TaskStatus status = statusTable.apply(entry.providerStatus());
            String before = i == 0 ? null : history.get(i - 1).providerStatus();
            Task asOf = observed.asOf(status, entry.providerStatus(), Instant.ofEpochMilli(entry.atMs()));
            changes.add(new StatusChange(
                    EventIds.of(asOf),
                    before == null ? null : statusTable.apply(before),
                    before,
                    asOf,
                    asOf.statusTime()));
            tracked = new TrackedTask(
                    entry.providerStatus(), observed.startedAt().toEpochMilli(), status.terminal(), entry.atMs());
        }
        HistoryEntry last = history.get(history.size() - 1);
        boolean behind = !observed.providerStatus().equals(last.providerStatus())
                && !statusTable.apply(last.providerStatus()).terminal();
        if (behind && (tracked == null || !tracked.providerStatus().equals(observed.providerStatus()))) {
            changes.add(polled(observed));
            tracked = track(observed, observed.terminal(), 0);
        }
        return changes.isEmpty() ? Detected.NOTHING : new Detected(List.copyOf(changes), tracked);
    }

    /**
     * Index of the first history entry not published yet: the one after the entry the previous event stands
     * for. A previous status published undated (the history was behind) stands for the first entry with
     * that status; one the history does not show yet leaves nothing new in it.
     */
    private static int unpublished(List<HistoryEntry> history, TrackedTask previous) {
        if (previous == null) {
            return 0;
        }
        for (int i = 0; i < history.size(); i++) {
            HistoryEntry e = history.get(i);
            if (e.providerStatus().equals(previous.providerStatus())
                    && (previous.statusTimeMs() == 0 || e.atMs() == previous.statusTimeMs())) {
                return i + 1;
            }
        }
        if (previous.statusTimeMs() == 0) {
            return history.size();
        }
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).atMs() > previous.statusTimeMs()) {
                return i;
            }
        }
        return history.size();
    }

    /** The polled status as one event: dated by the end time when final, else undated (its time is the start). */
    private static StatusChange polled(Task observed) {
        Task asOf = observed.asOf(
                observed.status(), observed.providerStatus(), observed.terminal() ? observed.endedAt() : null);
        return new StatusChange(EventIds.of(asOf), null, null, asOf, eventTime(asOf));
    }

    /** When the new status began: the provider's time for it, else (undated) the start time. Never "now". */
    static Instant eventTime(Task task) {
        return task.statusTime() != null ? task.statusTime() : task.startedAt();
    }

    private static TrackedTask track(Task task, boolean terminal, long statusTimeMs) {
        return new TrackedTask(task.providerStatus(), task.startedAt().toEpochMilli(), terminal, statusTimeMs);
    }
}
