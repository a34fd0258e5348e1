package org.asynctask.exporter.poll;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.provider.ScanSettings;
import org.asynctask.exporter.task.TrackedTask;

/**
 * Where a complete scan lets the watermark go (how far young open tasks hold it back), and which finished tasks below
 * it are still kept (stored) because a scan may list them again.
 */
final class Watermark {
    /**
     * A young open task holds the watermark (its start time is scanned again) only while at least one in
     * this many of the tasks the re-scan would list is open: otherwise a few long-running tasks among
     * many short ones would make every poll re-read a long window. The others are checked by status.
     */
    static final int HOLD_DENSITY = 10;

    /**
     * Finished tasks are forgotten only this far below the watermark. Some APIs take the window in whole
     * seconds (FunctionGraph), so a scan from the watermark rounded down lists tasks up to a second
     * older; were they forgotten, they would be published again.
     */
    static final long FORGET_MARGIN_MS = 1000;

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

    /**
     * The checkpoint to store: without the finished tasks no scan will list again. They stay in memory
     * (the in-memory checkpoint keeps them), but a long catch-up scan would otherwise store every
     * finished task it met and rewrite all of them on every page. Kept: every open task, and finished
     * ones that started after both the least the watermark will be once this scan ends (its end minus
     * the larger of safety-lag and re-scan window, see {@link PollCycle}'s finishScan) and the point from which a
     * refused page token makes this scan start over (PollCycle.restartScan), each less a second for the
     * APIs that take whole seconds.
     */
    static Checkpoint storedPart(Checkpoint full, ScanSettings settings) {
        if (full.scan() == null) {
            return full;
        }
        long nextWatermark = full.scan().toMs()
                - Math.max(
                        settings.safetyLag().toMillis(), settings.rescanWindow().toMillis());
        long keepFrom = Math.min(nextWatermark, full.scan().doneBelowMs()) - FORGET_MARGIN_MS;
        // This runs at every page's save: the copy is made only when there is something to forget.
        if (full.tracked().values().stream().noneMatch(t -> forgotten(t, keepFrom))) {
            return full;
        }
        Map<String, TrackedTask> kept = new HashMap<>();
        full.tracked().forEach((id, t) -> {
            if (!forgotten(t, keepFrom)) {
                kept.put(id, t);
            }
        });
        return full.withTracked(kept);
    }

    private static boolean forgotten(TrackedTask t, long keepFrom) {
        return t.terminal() && t.startedAtMs() < keepFrom;
    }
}
