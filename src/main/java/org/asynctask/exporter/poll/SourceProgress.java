package org.asynctask.exporter.poll;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.asynctask.exporter.provider.PartitionKey;

/**
 * The progress line of each source: one per poll interval of the source (and one right after its first
 * poll), summing what all its functions did since the last line. A source with many functions stays
 * readable; the line per poll is at DEBUG.
 */
final class SourceProgress {
    private final Map<String, Window> windows = new HashMap<>();

    /** What one source did since its last line. */
    private static final class Window {
        long startMs = -1;
        int polls;
        int failed;
        long events;
        long calls;
        /** Per partition: open tasks and watermark after its last successful poll. */
        final Map<PartitionKey, long[]> partitions = new HashMap<>();
    }

    /** @return the line to log now, or null */
    synchronized String polled(PollTarget t, int events, int calls, long openTasks, long watermarkMs, long nowMs) {
        Window w = windows.computeIfAbsent(t.source().name(), s -> new Window());
        w.polls++;
        w.events += events;
        w.calls += calls;
        w.partitions.put(t.key(), new long[] {openTasks, watermarkMs});
        return due(t, w, nowMs);
    }

    /** @return the line to log now, or null */
    synchronized String failed(PollTarget t, int events, int calls, long nowMs) {
        Window w = windows.computeIfAbsent(t.source().name(), s -> new Window());
        w.polls++;
        w.failed++;
        w.events += events;
        w.calls += calls;
        return due(t, w, nowMs);
    }

    private String due(PollTarget t, Window w, long nowMs) {
        if (w.startMs >= 0 && nowMs - w.startMs < t.source().interval().toMillis()) {
            return null;
        }
        long open = 0;
        long maxLagMs = 0;
        for (long[] p : w.partitions.values()) {
            open += p[0];
            maxLagMs = Math.max(maxLagMs, nowMs - p[1]);
        }
        String line = String.format(Locale.ROOT, "%s: %d function(s), %d poll(s) (%d failed), %d event(s), %d API call(s)%s; "
                        + "%d open task(s), lag up to %d s", t.source().name(), w.partitions.size(), w.polls, w.failed, w.events,
                w.calls, w.startMs < 0 ? "" : String.format(Locale.ROOT, " in %.1f s", (nowMs - w.startMs) / 1000.0), open,
                maxLagMs / 1000);
        w.startMs = nowMs;
        w.polls = 0;
        w.failed = 0;
        w.events = 0;
        w.calls = 0;
        return line;
    }
}
