package org.asynctask.exporter.checkpoint;

/**
 * A window scan in progress: its start-time bounds (epoch ms, inclusive) and the token of the next
 * page to fetch (null before the first page). Persisted so that a restart resumes mid-scan.
 */
public record ScanState(long fromMs, long toMs, String pageToken) {
}
