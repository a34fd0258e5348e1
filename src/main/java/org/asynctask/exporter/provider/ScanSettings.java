package org.asynctask.exporter.provider;

import java.time.Duration;

/**
 * How a partition's task list is scanned; see docs/internals.md, "Checkpoints and change detection".
 *
 * @param initialLookback    how far back the very first scan of a partition starts
 * @param safetyLag          the watermark never passes "scan start minus this", so tasks that become
 *                           visible late (clock skew, eventual consistency) are still listed
 * @param rescanWindow       open tasks younger than this may hold the next scan back to their start time
 *                           (where they are dense); the others are checked by a status-filtered listing
 * @param maxOpenAge         a task open longer than this is dropped from tracking (logged and counted)
 * @param maxLookupsPerPoll  look-ups by id of old open tasks that left their status, per poll, taken in
 *                           turn when there are more
 * @param maxPagesPerPoll    pages fetched per poll before yielding to other partitions (the scan resumes
 *                           at the next poll from its saved page token)
 * @param checkTurns         polls over which the open tasks older than the re-scan window are checked in
 *                           turn, a slice per poll: old-task-check-interval / interval, at least 1 (every
 *                           poll checks all of them)
 * @param adaptive           a poll that stopped at that limit (pages still coming back full: catching up) is
 *                           followed at once by the next, within the rate limit; false: it waits the interval
 */
public record ScanSettings(
        Duration initialLookback,
        Duration safetyLag,
        Duration rescanWindow,
        Duration maxOpenAge,
        int maxLookupsPerPoll,
        int maxPagesPerPoll,
        int checkTurns,
        boolean adaptive) {}
