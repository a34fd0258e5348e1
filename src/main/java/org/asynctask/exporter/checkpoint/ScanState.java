package org.asynctask.exporter.checkpoint;

/**
 * A window scan in progress: its start-time bounds (epoch ms, inclusive), the token of the next page
 * to fetch (null before the first page), and how far it got: every task that started before
 * {@code doneBelowMs} was on a page already committed (APIs that list in ascending start order;
 * otherwise it stays at {@code fromMs}). Persisted so that a restart resumes mid-scan.
 */
public record ScanState(long fromMs, long toMs, String pageToken, long doneBelowMs) {
    /** A scan that has listed nothing yet. */
    public ScanState(long fromMs, long toMs, String pageToken) {
        this(fromMs, toMs, pageToken, fromMs);
    }
}
