package org.asynctask.exporter.poll;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.asynctask.exporter.config.CommitPolicy;
import org.asynctask.exporter.task.ChangeDetector;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.TrackedTask;

/**
 * What the pages (and look-ups) a poll accepted since its last commit add: their changes, in page order, and the
 * tasks' new states, which only {@link #applyTo} makes part of the partition's state. Once the batch is due
 * ({@link CommitPolicy}, or the poll's phase says so) its changes are handed out for publishing.
 */
final class PendingBatch {
    private Map<String, TrackedTask> tracked = new HashMap<>();
    private List<StatusChange> changes = new ArrayList<>();
    private int pages;
    private long startNanos;
    /** Handed out for publishing: the next commit applies it. */
    private boolean due;

    /** A page's answer arrives: the batch's age counts from the first. */
    void arriving() {
        if (changes.isEmpty() && pages == 0) {
            startNanos = System.nanoTime();
        }
    }

    /** The task as this batch left it, else as the committed state has it (null when new). */
    TrackedTask latest(String id, Map<String, TrackedTask> committed) {
        return tracked.containsKey(id) ? tracked.get(id) : committed.get(id);
    }

    void add(String id, ChangeDetector.Detected detected) {
        if (!detected.changes().isEmpty()) {
            changes.addAll(detected.changes());
            tracked.put(id, detected.tracked());
        }
    }

    /** One more page of the scan in this batch. */
    void scanPage() {
        pages++;
    }

    /** Scan pages in this batch. */
    int pages() {
        return pages;
    }

    /** The policy's size or age says commit. */
    boolean dueBy(CommitPolicy policy) {
        return policy.due(changes.size(), System.nanoTime() - startNanos);
    }

    /** @return the changes to publish now: all of the batch's when it is due, else none */
    List<StatusChange> handOutIf(boolean due) {
        this.due = due;
        return handedOut();
    }

    List<StatusChange> handedOut() {
        return due ? changes : List.of();
    }

    boolean due() {
        return due;
    }

    /**
     * The batch's changes are durable: its tasks join the committed state (marked unsaved), and a new batch
     * begins.
     *
     * @return the changes it applied
     */
    List<StatusChange> applyTo(Map<String, TrackedTask> committed, Set<String> unsaved) {
        List<StatusChange> applied = changes;
        committed.putAll(tracked);
        unsaved.addAll(tracked.keySet());
        tracked = new HashMap<>();
        changes = new ArrayList<>();
        pages = 0;
        due = false;
        return applied;
    }
}
