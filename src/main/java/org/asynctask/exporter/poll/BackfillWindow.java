package org.asynctask.exporter.poll;

import java.time.Instant;

/**
 * A backfill: its partitions start at {@code from} (not at now minus the initial look-back), treat
 * {@code to} as "now" (so scans never list past it), and stop once a scan reached {@code to}.
 * Tasks still open then are left to the live exporter.
 */
public record BackfillWindow(Instant from, Instant to) {
    public BackfillWindow {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
        }
    }

    /** Names the window's checkpoints: {@code 20261122T100000Z-20261122T110000Z}. */
    public String id() {
        return compact(from) + "-" + compact(to);
    }

    private static String compact(Instant t) {
        return t.toString().replace("-", "").replace(":", "").replaceAll("\\.\\d+", "");
    }
}
