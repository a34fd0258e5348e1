package org.asynctask.exporter.poll;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.ScanState;
import org.asynctask.exporter.task.TrackedTask;

/**
 * How a poll finds what became of the open tasks below the watermark, which no scan lists again: status-filtered
 * listings (the young ones every poll, the older ones a slice per poll, in turns) and, where the API filters by end
 * time, one listing of the old ones that ended since the last poll.
 */
final class OpenTaskChecks {
    /** One listing of the tasks started in [startFrom, startTo] that ended in [endFrom, endTo). */
    record EndedListing(long startFromMs, long startToMs, long endFromMs, long endToMs) {
        /** A listing ends at the scan's end in whole seconds, as the APIs filter. */
        static long endTo(ScanState done) {
            return done.toMs() - Math.floorMod(done.toMs(), 1000);
        }
    }

    /** Old open tasks in one raw status, listed together with a status filter over their start times. */
    record StatusCheck(String status, long fromMs, long toMs, Set<String> ids) {}

    /** A poll's share of the old open tasks, and where the next poll's share starts. */
    record Slice(List<String> ids, long nextCursorMs) {}

    private OpenTaskChecks() {}

    /**
     * The tasks open for longer than the re-scan window (the young ones are checked by status every poll)
     * that ended since the last listing, up to the scan's end, in whole seconds as the API filters: so
     * consecutive listings neither overlap nor leave a gap, and an end is listed within an interval and a
     * second. An end the API shows only later than that is found by the checks in turns, the safety net.
     * Null when no such task is tracked or the cursor is at the end already (the cursor then moves on to
     * {@link EndedListing#endTo}).
     */
    static EndedListing endedListing(
            ScanState done, Collection<TrackedTask> tracked, long watermarkMs, long rescanWindowMs, long endCursorMs) {
        long endTo = EndedListing.endTo(done);
        long oldFrom = Math.min(watermarkMs, done.toMs() - rescanWindowMs);
        long oldestOpen = Long.MAX_VALUE;
        for (TrackedTask t : tracked) {
            if (!t.terminal() && t.startedAtMs() < oldFrom) {
                oldestOpen = Math.min(oldestOpen, t.startedAtMs());
            }
        }
        if (oldestOpen == Long.MAX_VALUE || endCursorMs >= endTo) {
            return null;
        }
        // A first listing starts at the oldest open task's start: it cannot have ended before.
        long endFrom = endCursorMs > 0 ? endCursorMs : oldestOpen - Math.floorMod(oldestOpen, 1000);
        return new EndedListing(oldestOpen, oldFrom, endFrom, endTo);
    }

    /**
     * This poll's share of the tasks open for longer than the re-scan window: 1 / check-turns of them, in
     * start order, continuing after the last slice ({@link Checkpoint#checkCursorMs()}) and starting over
     * at the oldest after the youngest. A slice ends after all tasks of its last start time, so the
     * status listings over its start times list no task of another slice.
     */
    static Slice olderInTurn(List<Map.Entry<String, TrackedTask>> older, int turns, long checkCursorMs) {
        if (turns <= 1 || older.isEmpty()) {
            return new Slice(older.stream().map(Map.Entry::getKey).toList(), 0);
        }
        // The slice's bounds come from the start times alone, sorted as plain numbers: sorting the tasks
        // themselves by a look-up of their start time took 11-15 % of the CPU of a poll with 21,600 open
        // tasks (JFR), sorting them as map entries not much less.
        long[] starts = new long[older.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = older.get(i).getValue().startedAtMs();
        }
        Arrays.sort(starts);
        int from = 0;
        while (from < starts.length && starts[from] <= checkCursorMs) {
            from++;
        }
        if (from == starts.length) {
            from = 0;
        }
        int to = Math.min(starts.length, from + (starts.length + turns - 1) / turns);
        long first = starts[from];
        long last = starts[to - 1];
        while (to < starts.length && starts[to] == last) {
            to++;
        }
        long nextCursorMs = to == starts.length ? 0 : last;
        List<String> slice = new ArrayList<>(to - from);
        for (Map.Entry<String, TrackedTask> e : older) {
            long start = e.getValue().startedAtMs();
            if (start >= first && start <= last) {
                slice.add(e.getKey());
            }
        }
        return new Slice(slice, nextCursorMs);
    }

    /** One status-filtered listing per raw status of {@code ids}, over their start times. */
    static List<StatusCheck> byStatus(List<String> ids, Map<String, TrackedTask> tracked) {
        List<StatusCheck> checks = new ArrayList<>();
        Map<String, List<String>> byStatus = new TreeMap<>();
        ids.forEach(id -> byStatus.computeIfAbsent(tracked.get(id).providerStatus(), s -> new ArrayList<>())
                .add(id));
        byStatus.forEach((status, same) -> {
            long from = Long.MAX_VALUE;
            long to = Long.MIN_VALUE;
            for (String id : same) {
                from = Math.min(from, tracked.get(id).startedAtMs());
                to = Math.max(to, tracked.get(id).startedAtMs());
            }
            checks.add(new StatusCheck(status, from, to, new HashSet<>(same)));
        });
        return checks;
    }
}
