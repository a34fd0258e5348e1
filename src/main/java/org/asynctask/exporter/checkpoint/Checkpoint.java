package org.asynctask.exporter.checkpoint;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.asynctask.exporter.task.TrackedTask;

/**
 * Where one partition is: what it has published and from where the next scan starts.
 * See docs/internals.md, "Checkpoints and change detection".
 *
 * @param watermarkMs  start-time lower bound of the next scan
 * @param scan         the scan in progress, or null between scans
 * @param tracked      task id to last published status, for open tasks and for finished tasks still
 *                     inside the re-scan window (so they are not published again)
 * @param lookupCursor id of the last old open task looked up, so look-ups take turns across polls
 * @param checkCursorMs start time of the last old open task checked in turn (0: the turns start over at
 *                      the oldest), so long-running tasks are checked a slice per poll
 * @param endCursorMs   where the next listing by end time starts (providers that list by end time, SCF):
 *                      every task that ended before it was listed; 0 = none yet
 * @param pendingLookups old open tasks a status check found changed that were not looked up yet (more than
 *                       max-lookups-per-poll): the next polls look them up first. Kept in memory only:
 *                       after a restart, the next check of their slice finds them again.
 * @param unsaved       ids whose entry in {@code tracked} changed (or went) since the partition's checkpoint
 *                      was last saved, so that a store can write only those ({@link FileCheckpointStore}
 *                      appends them); null when not known, and then a store writes every tracked task.
 *                      In memory only.
 */
public record Checkpoint(
        long watermarkMs,
        ScanState scan,
        Map<String, TrackedTask> tracked,
        String lookupCursor,
        long checkCursorMs,
        long endCursorMs,
        Set<String> pendingLookups,
        Set<String> unsaved) {

    static final int FORMAT_VERSION = 1;

    public Checkpoint(long watermarkMs, ScanState scan, Map<String, TrackedTask> tracked, String lookupCursor) {
        this(watermarkMs, scan, tracked, lookupCursor, 0);
    }

    public Checkpoint(
            long watermarkMs,
            ScanState scan,
            Map<String, TrackedTask> tracked,
            String lookupCursor,
            long checkCursorMs) {
        this(watermarkMs, scan, tracked, lookupCursor, checkCursorMs, 0, Set.of(), null);
    }

    public Checkpoint(
            long watermarkMs,
            ScanState scan,
            Map<String, TrackedTask> tracked,
            String lookupCursor,
            long checkCursorMs,
            Set<String> pendingLookups,
            Set<String> unsaved) {
        this(watermarkMs, scan, tracked, lookupCursor, checkCursorMs, 0, pendingLookups, unsaved);
    }

    /** The same with other tracked tasks (what a store keeps of them, or what a log replayed onto them). */
    public Checkpoint withTracked(Map<String, TrackedTask> tasks) {
        return new Checkpoint(
                watermarkMs, scan, tasks, lookupCursor, checkCursorMs, endCursorMs, pendingLookups, unsaved);
    }

    public static Checkpoint start(long watermarkMs) {
        return new Checkpoint(watermarkMs, null, Map.of(), null);
    }

    /**
     * Everything but the tracked tasks, which {@link CheckpointCodec} writes as a stream (there can be a
     * million), each as {@code id: [status, startedAtMs, terminal]} with the history time of its status
     * when it has one: compact on disk.
     */
    Map<String, Object> headerMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", FORMAT_VERSION);
        m.put("watermark", watermarkMs);
        if (scan != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("from", scan.fromMs());
            s.put("to", scan.toMs());
            if (scan.pageToken() != null) {
                s.put("pageToken", scan.pageToken());
            }
            if (scan.doneBelowMs() != scan.fromMs()) {
                s.put("doneBelow", scan.doneBelowMs());
            }
            m.put("scan", s);
        }
        if (lookupCursor != null) {
            m.put("lookupCursor", lookupCursor);
        }
        if (checkCursorMs != 0) {
            m.put("checkCursor", checkCursorMs);
        }
        if (endCursorMs != 0) {
            m.put("endCursor", endCursorMs);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    public static Checkpoint fromMap(Map<String, Object> m) {
        Object version = m.get("version");
        if (!(version instanceof Number n) || n.intValue() != FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported checkpoint format version " + version);
        }
        ScanState scan = null;
        if (m.get("scan") instanceof Map<?, ?> s) {
            long from = ((Number) s.get("from")).longValue();
            scan = new ScanState(
                    from,
                    ((Number) s.get("to")).longValue(),
                    (String) s.get("pageToken"),
                    s.get("doneBelow") instanceof Number d ? d.longValue() : from);
        }
        Map<String, TrackedTask> tracked = new HashMap<>();
        Map<String, Object> t = (Map<String, Object>) m.getOrDefault("tracked", Map.of());
        t.forEach((id, v) -> tracked.put(id, CheckpointCodec.readTask(v)));
        return new Checkpoint(
                ((Number) m.get("watermark")).longValue(),
                scan,
                Collections.unmodifiableMap(tracked),
                (String) m.get("lookupCursor"),
                m.get("checkCursor") instanceof Number c ? c.longValue() : 0,
                m.get("endCursor") instanceof Number e ? e.longValue() : 0,
                Set.of(),
                null);
    }
}
