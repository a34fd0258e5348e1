package org.asynctask.exporter.poll;

import java.time.Instant;
import java.util.ArrayList;
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
 */
public final class PollCycle {
    private enum Phase {
        SCAN,
        ENDED,
        CHECK,
        LOOKUP,
        DONE
    }

    private static final int LOOKUP_PAGE_SIZE = 10;

    private final ScanSettings settings;
    private final CommitPolicy commitPolicy;
    private final int pageSize;
    private final ChangeDetector detector;
    private final Instant now;
    private final Map<String, TrackedTask> tracked;
    /** Ids whose entry in {@link #tracked} changed since the last save (see {@link Checkpoint#unsaved()}). */
    private final Set<String> unsaved;

    private long watermarkMs;
    private final boolean ascending;
    private ScanState scan;
    private String lookupCursor;
    private long checkCursorMs;
    /** The API can filter by end time: ends are listed (ENDED) rather than found by status checks alone. */
    private final boolean listsByEndTime;

    private long endCursorMs;
    private OpenTaskChecks.EndedListing ended;
    private String endedToken;
    private String pendingEndedToken;
    private boolean pendingEndedDone;
    private Set<String> pendingLookups;
    private Phase phase = Phase.SCAN;
    private List<String> lookups = List.of();
    private int nextLookup;
    /** Look-ups answered since the last commit: they are committed together, like the pages of a batch. */
    private int answeredLookups;

    private final List<OpenTaskChecks.StatusCheck> checks = new ArrayList<>();
    private int nextCheck;
    private String checkToken;
    private final Set<String> listedInCheck = new HashSet<>();
    private final List<String> changedOldTasks = new ArrayList<>();
    private String pendingCheckToken;
    private boolean pendingCheckDone;
    private int pagesFetched;
    private boolean restartedScan;

    private PageQuery pendingQuery;
    /** What the pages accepted since the last commit add; applied to the state only by {@link #commit()}. */
    private final PendingBatch batch;

    private ScanState pendingScan;
    private boolean pendingScanDone;

    private final CycleReport report = new CycleReport();
    private List<StatusChange> lastCommitted = List.of();

    public PollCycle(Checkpoint checkpoint, ScanSettings settings, int pageSize, ChangeDetector detector, Instant now) {
        this(checkpoint, settings, pageSize, detector, now, false);
    }

    public PollCycle(
            Checkpoint checkpoint,
            ScanSettings settings,
            int pageSize,
            ChangeDetector detector,
            Instant now,
            boolean ascending) {
        this(checkpoint, settings, CommitPolicy.EVERY_PAGE, pageSize, detector, now, ascending);
    }

    /**
     * @param ascending the provider lists a window in ascending start order, so a scan's progress is
     *                  known (see {@link ScanState#doneBelowMs()})
     */
    public PollCycle(
            Checkpoint checkpoint,
            ScanSettings settings,
            CommitPolicy commitPolicy,
            int pageSize,
            ChangeDetector detector,
            Instant now,
            boolean ascending) {
        this(checkpoint, settings, commitPolicy, pageSize, detector, now, ascending, false);
    }

    /** @param listsByEndTime the API filters by end time (see {@link Phase#ENDED}) */
    public PollCycle(
            Checkpoint checkpoint,
            ScanSettings settings,
            CommitPolicy commitPolicy,
            int pageSize,
            ChangeDetector detector,
            Instant now,
            boolean ascending,
            boolean listsByEndTime) {
        this.ascending = ascending;
        this.listsByEndTime = listsByEndTime;
        this.endCursorMs = checkpoint.endCursorMs();
        this.settings = settings;
        this.commitPolicy = commitPolicy;
        this.pageSize = pageSize;
        this.detector = detector;
        this.batch = new PendingBatch();
        this.now = now;
        this.tracked = new HashMap<>(checkpoint.tracked());
        this.watermarkMs = checkpoint.watermarkMs();
        this.lookupCursor = checkpoint.lookupCursor();
        this.checkCursorMs = checkpoint.checkCursorMs();
        this.pendingLookups = checkpoint.pendingLookups();
        // Null: the checkpoint is as loaded (or as saved in full), so nothing is unsaved yet.
        this.unsaved = checkpoint.unsaved() == null ? new HashSet<>() : new HashSet<>(checkpoint.unsaved());
        this.scan = checkpoint.scan() != null
                ? checkpoint.scan()
                : new ScanState(watermarkMs, Math.max(watermarkMs, now.toEpochMilli()), null);
    }

    public boolean hasNextRequest() {
        return switch (phase) {
            case SCAN -> !pendingScanDone && pagesFetched + batch.pages() < settings.maxPagesPerPoll();
            case ENDED -> true;
            case CHECK -> nextCheck < checks.size();
            case LOOKUP -> nextLookup + answeredLookups < lookups.size();
            case DONE -> false;
        };
    }

    public PageQuery nextQuery() {
        if (!hasNextRequest()) {
            throw new IllegalStateException("no request left in this poll");
        }
        pendingQuery = switch (phase) {
            case SCAN -> {
                ScanState at = currentScan();
                yield PageQuery.window(
                        Instant.ofEpochMilli(at.fromMs()), Instant.ofEpochMilli(at.toMs()), at.pageToken(), pageSize);
            }
            case ENDED ->
                PageQuery.window(
                                Instant.ofEpochMilli(ended.startFromMs()),
                                Instant.ofEpochMilli(ended.startToMs()),
                                endedToken,
                                pageSize)
                        .endedBetween(Instant.ofEpochMilli(ended.endFromMs()), Instant.ofEpochMilli(ended.endToMs()));
            case CHECK -> {
                OpenTaskChecks.StatusCheck check = checks.get(nextCheck);
                yield PageQuery.window(
                                Instant.ofEpochMilli(check.fromMs()),
                                Instant.ofEpochMilli(check.toMs()),
                                checkToken,
                                pageSize)
                        .withStatus(check.status());
            }
            default ->
                PageQuery.lookup(
                        lookups.get(nextLookup + answeredLookups),
                        Instant.ofEpochMilli(tracked.get(lookups.get(nextLookup + answeredLookups))
                                .startedAtMs()),
                        LOOKUP_PAGE_SIZE);
        };
        return pendingQuery;
    }

    /** Where the scan stands with the pages accepted so far, committed or not. */
    private ScanState currentScan() {
        return pendingScan != null ? pendingScan : scan;
    }

    /**
     * @return the changes to publish now, in page order: those of every page accepted since the last
     *         commit once the batch is due, else none. Applied to the state only by {@link #commit()}.
     */
    public List<StatusChange> accept(Page page) {
        report.apiCalls++;
        batch.arriving();
        if (pendingQuery.isLookup()) {
            for (Task t : page.tasks()) {
                if (t.taskId().equals(pendingQuery.taskId())) {
                    observe(t);
                }
            }
            // Look-ups are committed in batches too: each one that changed something would otherwise cost a
            // checkpoint write (of every tracked task) and an fsync.
            answeredLookups++;
            return batch.handOutIf(!hasNextRequest() || batch.dueBy(commitPolicy));
        }
        if (phase == Phase.ENDED) {
            for (Task t : page.tasks()) {
                // Only the open tasks it tracks: one that ended and was already published and forgotten must not
                // come back as new.
                TrackedTask known = tracked.get(t.taskId());
                if (known != null && !known.terminal()) {
                    observe(t);
                }
            }
            pendingEndedToken = page.nextToken();
            pendingEndedDone = page.last();
            return batch.handOutIf(true);
        }
        if (phase == Phase.CHECK) {
            for (Task t : page.tasks()) {
                listedInCheck.add(t.taskId());
                observe(t);
            }
            pendingCheckToken = page.nextToken();
            pendingCheckDone = page.last();
            return batch.handOutIf(true);
        }
        ScanState at = currentScan();
        long doneBelow = at.doneBelowMs();
        for (Task t : page.tasks()) {
            // An API that filters in whole seconds (FunctionGraph) also lists what started in the second after
            // the window: those belong to the next scan (a backfill's ends at --to).
            if (t.startedAt().toEpochMilli() < at.toMs()) {
                observe(t);
                if (ascending) {
                    doneBelow = Math.max(doneBelow, t.startedAt().toEpochMilli());
                }
            }
        }
        pendingScan = page.last() ? null : new ScanState(at.fromMs(), at.toMs(), page.nextToken(), doneBelow);
        pendingScanDone = page.last();
        batch.scanPage();
        // The end of the scan, or of this poll's pages, always commits: what follows needs the applied state.
        return batch.handOutIf(pendingScanDone || !hasNextRequest() || batch.dueBy(commitPolicy));
    }

    private void observe(Task t) {
        batch.add(t.taskId(), detector.detect(t, batch.latest(t.taskId(), tracked)));
    }

    /**
     * The page token was refused (expired or unknown): scan the window again, from its first page, or,
     * when the API lists in ascending start order, from the start time the scan had reached (everything
     * before it was on committed pages). Change detection keeps that from publishing anything twice.
     * Once per poll, so a provider that refuses every token cannot keep us looping.
     *
     * @return false if this poll already restarted once
     */
    public boolean restartScan() {
        if (restartedScan || pendingQuery == null || pendingQuery.isLookup()) {
            return false;
        }
        restartedScan = true;
        report.apiCalls++;
        // The pages accepted before stay valid; only the token is lost.
        ScanState at = currentScan();
        pendingScan = new ScanState(at.doneBelowMs(), at.toMs(), null);
        batch.handOutIf(batch.dueBy(commitPolicy));
        return true;
    }

    /**
     * After a failed request, the pages of the batch accepted before it are still good: this hands their
     * changes out to be published and committed like a due batch, so a scan that keeps meeting faults
     * still moves forward. Empty when nothing waits.
     */
    public List<StatusChange> salvage() {
        if (phase != Phase.SCAN || batch.pages() == 0 && pendingScan == null) {
            return List.of();
        }
        return batch.handOutIf(true);
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
        return phase == Phase.SCAN && (batch.pages() > 0 || pendingScan != null);
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
            for (String id : lookups.subList(nextLookup, nextLookup + answeredLookups)) {
                TrackedTask current = tracked.get(id);
                if (current != null
                        && current.terminal()
                        && current.startedAtMs() < watermarkMs - Watermark.FORGET_MARGIN_MS) {
                    // Well below the watermark: no scan will list it again, so there is nothing to de-duplicate.
                    tracked.remove(id);
                    unsaved.add(id);
                }
                lookupCursor = id;
            }
            nextLookup += answeredLookups;
            report.lookups += answeredLookups;
            answeredLookups = 0;
            if (nextLookup >= lookups.size()) {
                phase = Phase.DONE;
            }
        } else if (phase == Phase.ENDED) {
            report.checks++;
            if (pendingEndedDone) {
                endCursorMs = ended.endToMs();
                endedToken = null;
                startChecks();
            } else {
                endedToken = pendingEndedToken;
            }
        } else if (phase == Phase.CHECK) {
            report.checks++;
            if (pendingCheckDone) {
                finishCheck(checks.get(nextCheck));
            } else {
                checkToken = pendingCheckToken;
            }
        } else {
            pagesFetched += pages;
            report.pages += pages;
            if (pendingScanDone) {
                finishScan(scan);
                scan = null;
                pendingScanDone = false;
            } else {
                scan = pendingScan;
                report.moreToFetch = pagesFetched >= settings.maxPagesPerPoll();
            }
            pendingScan = null;
        }
        pendingQuery = null;
        return changed ? checkpoint() : null;
    }

    /** After a complete scan: see {@link ScanEnd}. */
    private void finishScan(ScanState done) {
        report.scannedToMs = done.toMs();
        ScanEnd.Decision next = ScanEnd.decide(
                done, tracked, watermarkMs, settings, now.toEpochMilli(), checkCursorMs, endCursorMs, listsByEndTime);
        watermarkMs = next.watermarkMs();
        unsaved.addAll(next.forgotten());
        report.dropped.addAll(next.dropped());
        report.oldOpen = next.oldOpen();
        checks.addAll(next.checks());
        nextCheck = 0;
        checkCursorMs = next.checkCursorMs();
        ended = next.ended();
        endCursorMs = next.endCursorMs();
        if (ended != null) {
            phase = Phase.ENDED;
        } else {
            startChecks();
        }
    }

    private void startChecks() {
        if (checks.isEmpty()) {
            startLookups();
        } else {
            phase = Phase.CHECK;
        }
    }

    /**
     * A status check listed every task still in that status: the ones of the check it did not list have
     * changed (or vanished) and are looked up by id. Once every check is done, the look-ups start.
     */
    private void finishCheck(OpenTaskChecks.StatusCheck check) {
        for (String id : check.ids()) {
            TrackedTask t = tracked.get(id);
            if (!listedInCheck.contains(id)
                    && t != null
                    && !t.terminal()
                    && t.providerStatus().equals(check.status())) {
                changedOldTasks.add(id);
            }
        }
        listedInCheck.clear();
        checkToken = null;
        nextCheck++;
        if (nextCheck >= checks.size()) {
            startLookups();
        }
    }

    /**
     * Looks up the old open tasks the checks found changed and those earlier polls had no turn for, at
     * most max-lookups-per-poll; the rest wait for the next poll. A slice of the tasks checked in turns
     * is checked again only a turn later, so without this its changed tasks beyond the limit would wait
     * that long.
     */
    private void startLookups() {
        Set<String> candidates = new HashSet<>(changedOldTasks);
        for (String id : pendingLookups) {
            TrackedTask t = tracked.get(id);
            if (t != null && !t.terminal()) {
                candidates.add(id);
            }
        }
        lookups = LookupTurns.inTurn(new ArrayList<>(candidates), lookupCursor, settings.maxLookupsPerPoll());
        lookups.forEach(candidates::remove);
        pendingLookups = Set.copyOf(candidates);
        nextLookup = 0;
        phase = lookups.isEmpty() ? Phase.DONE : Phase.LOOKUP;
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
                watermarkMs, scan, tracked, lookupCursor, checkCursorMs, endCursorMs, pendingLookups, unsaved);
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
