package org.asynctask.exporter.poll;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.ScanState;
import org.asynctask.exporter.config.CommitPolicy;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.ScanSettings;
import org.asynctask.exporter.task.ChangeDetector;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TrackedTask;

/**
 * One poll of one partition, as a plain state machine the poll route drives request by request:
 * {@link #nextQuery()}, then {@link #accept(Page)} (changes to publish), then, once the sink has made
 * them durable, {@link #commit()} (the checkpoint to save). Nothing of a page is applied to the
 * partition's state before its commit, so a failure anywhere leaves the last saved checkpoint intact.
 *
 * <p>While a scan catches up, pages are committed in batches ({@link CommitPolicy}): {@link #accept}
 * returns the changes of every page accepted since the last commit once the batch is due, and an
 * empty list before; {@link #commit()} then returns null. One write and one fsync per batch instead
 * of per page is what lets a backlog go at the speed of the API.
 *
 * <p>Phases: SCAN lists the start-time window [watermark, poll start] page by page, in ascending start
 * order; after a complete scan the watermark moves up (see {@link ScanEnd}); where the API lists by
 * end time, ENDED lists the tasks started below the watermark that ended since the last poll, which
 * finds the ends of long-running tasks at once; then CHECK lists the open tasks below it by status
 * (those running for long a slice per poll, in turns: where ENDED runs, a safety net), and LOOKUP asks
 * for the ones that left their status one by one by id, instead of keeping a long window open for them.
 * Each phase's requests and cursors are its round ({@link ScanRound}, {@link EndedRound}, {@link
 * StatusCheckRound}, {@link LookupRound}); the order of the phases, the batch ({@link PendingBatch}) and
 * the tracked tasks are here.
 */
public final class PollCycle {
    private enum Phase {
        SCAN,
        ENDED,
        CHECK,
        LOOKUP,
        DONE
    }

    private final ScanSettings settings;
    private final CommitPolicy commitPolicy;
    private final int pageSize;
    private final ChangeDetector detector;
    private final Instant now;
    private final Map<String, TrackedTask> tracked;
    /** Ids whose entry in {@link #tracked} changed since the last save (see {@link Checkpoint#unsaved()}). */
    private final Set<String> unsaved;

    private long watermarkMs;
    private long checkCursorMs;
    /** The API can filter by end time: ends are listed (ENDED) rather than found by status checks alone. */
    private final boolean listsByEndTime;

    private Phase phase = Phase.SCAN;
    private final ScanRound scan;
    private final EndedRound ended;
    private StatusCheckRound checks = new StatusCheckRound(List.of());
    private final LookupRound lookups;

    private PageQuery pendingQuery;
    /** What the pages accepted since the last commit add; applied to the state only by {@link #commit()}. */
    private final PendingBatch batch;

    private final CycleReport report = new CycleReport();
    private List<StatusChange> lastCommitted = List.of();

    public PollCycle(Checkpoint checkpoint, ScanSettings settings, int pageSize, ChangeDetector detector, Instant now) {
        this(checkpoint, settings, CommitPolicy.EVERY_PAGE, pageSize, detector, now, false, false);
    }

    /**
     * @param ascending the provider lists a window in ascending start order, so a scan's progress is
     *                  known (see {@link ScanState#doneBelowMs()})
     * @param listsByEndTime the API filters by end time (see {@link Phase#ENDED})
     */
    public PollCycle(
            Checkpoint checkpoint,
            ScanSettings settings,
            CommitPolicy commitPolicy,
            int pageSize,
            ChangeDetector detector,
            Instant now,
            boolean ascending,
            boolean listsByEndTime) {
        this.listsByEndTime = listsByEndTime;
        this.ended = new EndedRound(checkpoint.endCursorMs());
        this.settings = settings;
        this.commitPolicy = commitPolicy;
        this.pageSize = pageSize;
        this.detector = detector;
        this.batch = new PendingBatch();
        this.now = now;
        this.tracked = new HashMap<>(checkpoint.tracked());
        this.watermarkMs = checkpoint.watermarkMs();
        this.lookups = new LookupRound(checkpoint.lookupCursor(), checkpoint.pendingLookups());
        this.checkCursorMs = checkpoint.checkCursorMs();
        // Null: the checkpoint is as loaded (or as saved in full), so nothing is unsaved yet.
        this.unsaved = checkpoint.unsaved() == null ? new HashSet<>() : new HashSet<>(checkpoint.unsaved());
        this.scan = new ScanRound(
                checkpoint.scan() != null
                        ? checkpoint.scan()
                        : new ScanState(watermarkMs, Math.max(watermarkMs, now.toEpochMilli()), null),
                ascending,
                settings.maxPagesPerPoll());
    }

    public boolean hasNextRequest() {
        return switch (phase) {
            case SCAN -> scan.hasNext(batch.pages());
            case ENDED -> true;
            case CHECK -> checks.hasNext();
            case LOOKUP -> lookups.hasNext();
            case DONE -> false;
        };
    }

    public PageQuery nextQuery() {
        if (!hasNextRequest()) {
            throw new IllegalStateException("no request left in this poll");
        }
        pendingQuery = switch (phase) {
            case SCAN -> scan.nextQuery(pageSize);
            case ENDED -> ended.nextQuery(pageSize);
            case CHECK -> checks.nextQuery(pageSize);
            default -> lookups.nextQuery(tracked);
        };
        return pendingQuery;
    }

    /**
     * @return the changes to publish now, in page order: those of every page accepted since the last
     *         commit once the batch is due, else none. Applied to the state only by {@link #commit()}.
     */
    public List<StatusChange> accept(Page page) {
        report.apiCalls++;
        batch.arriving();
        switch (phase) {
            case LOOKUP -> {
                lookups.accept(page, this::observe);
                // Look-ups are committed in batches too: each one that changed something would otherwise cost a
                // checkpoint write (of every tracked task) and an fsync.
                return batch.handOutIf(!hasNextRequest() || batch.dueBy(commitPolicy));
            }
            case ENDED -> {
                ended.accept(page, tracked, this::observe);
                return batch.handOutIf(true);
            }
            case CHECK -> {
                checks.accept(page, this::observe);
                return batch.handOutIf(true);
            }
            default -> {}
        }
        scan.accept(page, this::observe);
        batch.scanPage();
        // The end of the scan, or of this poll's pages, always commits: what follows needs the applied state.
        return batch.handOutIf(scan.lastPageAccepted() || !hasNextRequest() || batch.dueBy(commitPolicy));
    }

    private void observe(Task t) {
        batch.add(t.taskId(), detector.detect(t, batch.latest(t.taskId(), tracked)));
    }

    /**
     * The page token of a scan was refused (expired or unknown): scan the window again ({@link
     * ScanRound#restart}). Change detection keeps that from publishing anything twice. Once per poll, so a
     * provider that refuses every token cannot keep us looping. A refused token of a status check or of the
     * listing of ends fails the poll instead: their tokens are not saved, so the next poll starts them over.
     *
     * @return false if this poll already restarted once, or is past its scan
     */
    public boolean restartScan() {
        if (phase != Phase.SCAN || pendingQuery == null || !scan.restart()) {
            return false;
        }
        report.apiCalls++;
        batch.handOutIf(batch.dueBy(commitPolicy));
        return true;
    }

    /**
     * After a failed request, the pages of the batch accepted before it are still good: this hands their
     * changes out to be published and committed like a due batch, so a scan that keeps meeting faults
     * still moves forward. Empty when nothing waits.
     */
    public List<StatusChange> salvage() {
        return hasUncommitted() ? batch.handOutIf(true) : List.of();
    }

    /**
     * After {@link #restartScan()}: the changes to publish now, those of the pages accepted before the
     * refused token once their batch is due (else none, and {@link #commit()} applies nothing).
     */
    public List<StatusChange> dueChanges() {
        return batch.handedOut();
    }

    /** Something {@link #salvage()} would hand out waits. */
    public boolean hasUncommitted() {
        return phase == Phase.SCAN && (batch.pages() > 0 || scan.hasPending());
    }

    /**
     * Applies the accepted pages once their batch is due; call only after the changes {@link #accept}
     * returned are durable.
     *
     * @return the checkpoint to save, or null when there is nothing to write yet: the batch is not due,
     *         or the request changed nothing worth a write (a look-up that found its task unchanged: only
     *         the turn order would move, and losing that is harmless)
     */
    public Checkpoint commit() {
        if (!batch.due()) {
            pendingQuery = null;
            lastCommitted = List.of();
            return null;
        }
        int pages = batch.pages();
        lastCommitted = batch.applyTo(tracked, unsaved);
        report.events += lastCommitted.size();
        boolean changed = !lastCommitted.isEmpty() || phase == Phase.SCAN;
        if (phase == Phase.LOOKUP) {
            List<String> answered = lookups.commit();
            for (String id : answered) {
                TrackedTask current = tracked.get(id);
                if (current != null
                        && current.terminal()
                        && current.startedAtMs() < watermarkMs - Watermark.FORGET_MARGIN_MS) {
                    // Well below the watermark: no scan will list it again, so there is nothing to de-duplicate.
                    tracked.remove(id);
                    unsaved.add(id);
                }
            }
            report.lookups += answered.size();
            if (!lookups.hasNext()) {
                phase = Phase.DONE;
            }
        } else if (phase == Phase.ENDED) {
            report.checks++;
            if (ended.commit()) {
                startChecks();
            }
        } else if (phase == Phase.CHECK) {
            report.checks++;
            if (checks.commit(tracked)) {
                startLookups();
            }
        } else {
            report.pages += pages;
            ScanState complete = scan.commit(pages);
            if (complete != null) {
                finishScan(complete);
            } else {
                report.moreToFetch = scan.reachedPageLimit();
            }
        }
        pendingQuery = null;
        return changed ? checkpoint() : null;
    }

    /** After a complete scan: see {@link ScanEnd}. */
    private void finishScan(ScanState done) {
        report.scannedToMs = done.toMs();
        ScanEnd.Decision next = ScanEnd.decide(
                done,
                tracked,
                watermarkMs,
                settings,
                now.toEpochMilli(),
                checkCursorMs,
                ended.cursorMs(),
                listsByEndTime);
        watermarkMs = next.watermarkMs();
        unsaved.addAll(next.forgotten());
        report.dropped.addAll(next.dropped());
        report.oldOpen = next.oldOpen();
        checks = new StatusCheckRound(next.checks());
        checkCursorMs = next.checkCursorMs();
        if (ended.start(next.ended(), next.endCursorMs())) {
            phase = Phase.ENDED;
        } else {
            startChecks();
        }
    }

    private void startChecks() {
        if (checks.hasNext()) {
            phase = Phase.CHECK;
        } else {
            startLookups();
        }
    }

    private void startLookups() {
        phase = lookups.start(checks.changed(), tracked, settings.maxLookupsPerPoll()) ? Phase.LOOKUP : Phase.DONE;
    }

    /** The changes the last {@link #commit()} applied (none if it applied nothing). */
    public List<StatusChange> lastCommitted() {
        return lastCommitted;
    }

    /** The query sent by the request in flight. */
    public PageQuery pendingQuery() {
        return pendingQuery;
    }

    public Checkpoint checkpoint() {
        return new Checkpoint(
                watermarkMs,
                scan.state(),
                tracked,
                lookups.cursor(),
                checkCursorMs,
                ended.cursorMs(),
                lookups.waiting(),
                unsaved);
    }

    /** The store has the checkpoint of the last {@link #commit()}: nothing is unsaved any more. */
    public void saved() {
        unsaved.clear();
    }

    /** The checkpoint to store (see {@link Watermark#storedPart}). */
    public Checkpoint forStore(Checkpoint full) {
        return Watermark.storedPart(full, settings);
    }

    public CycleReport report() {
        return report;
    }
}
