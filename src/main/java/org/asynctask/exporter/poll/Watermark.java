package org.asynctask.exporter.poll;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.asynctask.exporter.task.TrackedTask;

/** Where a complete scan lets the watermark go: how far young open tasks hold it back. */
final class Watermark {
    /**
     * A young open task holds the watermark (its start time is scanned again) only while at least one in
     * this many of the tasks the re-scan would list is open: otherwise a few long-running tasks among
     * many short ones would make every poll re-read a long window. The others are checked by status.
     */
    static final int HOLD_DENSITY = 10;

    private Watermark() {}

    /**
     * The start time the watermark may be held at: the oldest young open task (started in [youngFrom,
     * candidate)) such that at least one in {@link #HOLD_DENSITY} tasks from it on is open; candidate if
     * none is.
     */
    static long holdFrom(Collection<TrackedTask> tracked, long youngFrom, long candidate) {
        List<TrackedTask> young = new ArrayList<>();
        for (TrackedTask t : tracked) {
            if (t.startedAtMs() >= youngFrom && t.startedAtMs() < candidate) {
                young.add(t);
            }
        }
        young.sort(Comparator.comparingLong(TrackedTask::startedAtMs).reversed());
        long hold = candidate;
        int open = 0;
        for (int i = 0; i < young.size(); i++) {
            TrackedTask t = young.get(i);
            if (!t.terminal()) {
                open++;
                if ((long) open * HOLD_DENSITY >= i + 1) {
                    hold = t.startedAtMs();
                }
            }
        }
        return hold;
    }
}
