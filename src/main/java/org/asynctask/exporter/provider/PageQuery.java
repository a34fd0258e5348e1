package org.asynctask.exporter.provider;

import java.time.Instant;

/**
 * One list request, in provider-neutral terms. Either a page of a start-time window scan, or the
 * look-up of one task by id (used for old open tasks, so they never force a re-scan of a long window).
 *
 * @param from      inclusive start-time lower bound (window scans)
 * @param to        inclusive start-time upper bound (window scans)
 * @param pageToken provider page token / marker / offset of the page to fetch; null for the first page
 * @param taskId    set for a look-up: the id (prefix) to ask for
 * @param startedAt for a look-up, the task's start time, for providers that need a time window too
 * @param status    optional raw provider status to filter on (window scans)
 * @param endedFrom optional end-time filter, inclusive, whole seconds: only tasks that ended in
 *                  [endedFrom, endedTo) (providers that {@link TaskProvider#listsByEndTime list by end time})
 * @param endedTo   its exclusive end
 */
public record PageQuery(
        Instant from,
        Instant to,
        String pageToken,
        int limit,
        String taskId,
        Instant startedAt,
        String status,
        Instant endedFrom,
        Instant endedTo) {

    public static PageQuery window(Instant from, Instant to, String pageToken, int limit) {
        return new PageQuery(from, to, pageToken, limit, null, null, null, null, null);
    }

    public static PageQuery lookup(String taskId, Instant startedAt, int limit) {
        return new PageQuery(null, null, null, limit, taskId, startedAt, null, null, null);
    }

    /** The same window, listing only tasks in one raw provider status. */
    public PageQuery withStatus(String providerStatus) {
        return new PageQuery(from, to, pageToken, limit, taskId, startedAt, providerStatus, endedFrom, endedTo);
    }

    /** The same window, listing only tasks that ended in [from, to). */
    public PageQuery endedBetween(Instant from, Instant to) {
        return new PageQuery(this.from, this.to, pageToken, limit, taskId, startedAt, status, from, to);
    }

    public boolean isLookup() {
        return taskId != null;
    }
}
