package org.asynctask.exporter.poll;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.asynctask.exporter.provider.PartitionKey;

/**
 * The progress line of each source: one per poll interval of the source (and one right after its first
 * poll), summing what all its functions did since the last line, and how fresh the picture is: when the
 * newest change was published and how long ago the least recently polled function was polled. A source
 * with many functions stays readable; the line per poll is at DEBUG.
 */
final class SourceProgress {
    /** The partitions of a source polled now (discovery adds and removes some). */
    private final Function<String, List<PartitionKey>> partitionsOf;

    private final Map<String, Window> windows = new HashMap<>();

    SourceProgress(Function<String, List<PartitionKey>> partitionsOf) {
        this.partitionsOf = partitionsOf;
    }

    /** What one source did since its last line. */
    private static final class Window {
        long startMs = -1;
        int polls;
        int failed;
        long events;
        long calls;
        long lastEventMs = -1;
        /** Polled since the last line: with those polled now, the source's functions (a backfill's finished ones too). */
        final Set<PartitionKey> reported = new HashSet<>();
        /** Per partition, after its last successful poll. */
        final Map<PartitionKey, Polled> partitions = new HashMap<>();
    }

    private record Polled(long openTasks, long watermarkMs, long atMs) {}

    /** @return the line to log now, or null */
    synchronized String polled(PollTarget t, int events, int calls, long openTasks, long watermarkMs, long nowMs) {
        Window w = count(t, events, calls, nowMs);
        w.partitions.put(t.key(), new Polled(openTasks, watermarkMs, nowMs));
        return due(t, w, nowMs);
    }

    /** @return the line to log now, or null */
    synchronized String failed(PollTarget t, int events, int calls, long nowMs) {
        Window w = count(t, events, calls, nowMs);
        w.failed++;
        return due(t, w, nowMs);
    }

    private Window count(PollTarget t, int events, int calls, long nowMs) {
        Window w = windows.computeIfAbsent(t.source().name(), s -> new Window());
        w.polls++;
        w.events += events;
        w.calls += calls;
        w.reported.add(t.key());
        if (events > 0) {
            w.lastEventMs = nowMs;
        }
        return w;
    }

    private String due(PollTarget t, Window w, long nowMs) {
        if (w.startMs >= 0 && nowMs - w.startMs < t.source().interval().toMillis()) {
            return null;
        }
        Set<PartitionKey> functions =
                new HashSet<>(partitionsOf.apply(t.source().name()));
        functions.addAll(w.reported);
        w.partitions.keySet().retainAll(functions);
        long open = 0;
        long watermarkBehindMs = 0;
        long leastRecentlyPolledMs = nowMs;
        for (Polled p : w.partitions.values()) {
            open += p.openTasks;
            watermarkBehindMs = Math.max(watermarkBehindMs, nowMs - p.watermarkMs);
            leastRecentlyPolledMs = Math.min(leastRecentlyPolledMs, p.atMs);
        }
        int neverPolled = functions.size() - w.partitions.size();
        String line = String.format(
                Locale.ROOT,
                "%s: %d function(s), %d poll(s) (%d failed), %d event(s), %d API call(s)%s; %s, %s; "
                        + "%d open task(s), watermark %d s behind",
                t.source().name(),
                functions.size(),
                w.polls,
                w.failed,
                w.events,
                w.calls,
                w.startMs < 0 ? "" : String.format(Locale.ROOT, " in %.1f s", (nowMs - w.startMs) / 1000.0),
                w.lastEventMs < 0
                        ? "no change published yet"
                        : String.format(
                                Locale.ROOT, "newest change published %.1f s ago", (nowMs - w.lastEventMs) / 1000.0),
                neverPolled > 0
                        ? neverPolled + " function(s) not polled successfully yet"
                        : String.format(
                                Locale.ROOT,
                                "every function polled within %.1f s",
                                (nowMs - leastRecentlyPolledMs) / 1000.0),
                open,
                watermarkBehindMs / 1000);
        w.startMs = nowMs;
        w.polls = 0;
        w.failed = 0;
        w.events = 0;
        w.calls = 0;
        w.reported.clear();
        return line;
    }
}
