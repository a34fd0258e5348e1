package org.asynctask.exporter.poll;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.ScanState;
import org.asynctask.exporter.config.ScanSettings;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
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
 * <p>Phases: SCAN lists the start-time window [watermark, poll start] page by page, in ascending start
 * order; after a complete scan the watermark moves up (see {@link #finishScan}); then LOOKUP asks for
 * old open tasks one by one by id, instead of keeping a long window open for them.
 */
public final class PollCycle {
    private enum Phase { SCAN, LOOKUP, DONE }

    private static final int LOOKUP_PAGE_SIZE = 10;
    /**
     * Finished tasks are forgotten only this far below the watermark. Some APIs take the window in whole
     * seconds (FunctionGraph), so a scan from the watermark rounded down lists tasks up to a second
     * older; were they forgotten, they would be published again.
     */
    static final long FORGET_MARGIN_MS = 1000;

    private final ScanSettings settings;
    private final int pageSize;
    private final ChangeDetector detector;
    private final Instant now;
    private final Map<String, TrackedTask> tracked;
    private long watermarkMs;
    private final boolean ascending;
    private ScanState scan;
    private String lookupCursor;
    private Phase phase = Phase.SCAN;
    private List<String> lookups = List.of();
    private int nextLookup;
    private int pagesFetched;
    private boolean restartedScan;

    private PageQuery pendingQuery;
    private Map<String, TrackedTask> pendingTracked;
    private List<StatusChange> pendingChanges;
    private ScanState pendingScan;
    private boolean pendingScanDone;

    private final CycleReport report = new CycleReport();

    public PollCycle(Checkpoint checkpoint, ScanSettings settings, int pageSize, ChangeDetector detector, Instant now) {
        this(checkpoint, settings, pageSize, detector, now, false);
    }

    /**
     * @param ascending the provider lists a window in ascending start order, so a scan's progress is
     *                  known (see {@link ScanState#doneBelowMs()})
     */
    public PollCycle(Checkpoint checkpoint, ScanSettings settings, int pageSize, ChangeDetector detector, Instant now,
                     boolean ascending) {
        this.ascending = ascending;
        this.settings = settings;
        this.pageSize = pageSize;
        this.detector = detector;
        this.now = now;
        this.tracked = new HashMap<>(checkpoint.tracked());
        this.watermarkMs = checkpoint.watermarkMs();
        this.lookupCursor = checkpoint.lookupCursor();
        this.scan = checkpoint.scan() != null ? checkpoint.scan()
                : new ScanState(watermarkMs, Math.max(watermarkMs, now.toEpochMilli()), null);
    }

    public boolean hasNextRequest() {
        return switch (phase) {
            case SCAN -> pagesFetched < settings.maxPagesPerPoll();
            case LOOKUP -> nextLookup < lookups.size();
            case DONE -> false;
        };
    }

    public PageQuery nextQuery() {
        if (!hasNextRequest()) {
            throw new IllegalStateException("no request left in this poll");
        }
        pendingQuery = phase == Phase.SCAN
                ? PageQuery.window(Instant.ofEpochMilli(scan.fromMs()), Instant.ofEpochMilli(scan.toMs()), scan.pageToken(), pageSize)
                : PageQuery.lookup(lookups.get(nextLookup), Instant.ofEpochMilli(tracked.get(lookups.get(nextLookup)).startedAtMs()), LOOKUP_PAGE_SIZE);
        return pendingQuery;
    }

    /** @return the changes the page shows, in page order; applied to the state only by {@link #commit()} */
    public List<StatusChange> accept(Page page) {
        report.apiCalls++;
        pendingTracked = new HashMap<>();
        pendingChanges = new ArrayList<>();
        if (pendingQuery.isLookup()) {
            for (Task t : page.tasks()) {
                if (t.taskId().equals(pendingQuery.taskId())) {
                    observe(t);
                }
            }
        } else {
            page.tasks().forEach(this::observe);
            long doneBelow = scan.doneBelowMs();
            if (ascending) {
                for (Task t : page.tasks()) {
                    doneBelow = Math.max(doneBelow, t.startedAt().toEpochMilli());
                }
            }
            pendingScan = page.last() ? null : new ScanState(scan.fromMs(), scan.toMs(), page.nextToken(), doneBelow);
            pendingScanDone = page.last();
        }
        return pendingChanges;
    }

    private void observe(Task t) {
        TrackedTask previous = pendingTracked.containsKey(t.taskId()) ? pendingTracked.get(t.taskId()) : tracked.get(t.taskId());
        StatusChange change = detector.detect(t, previous);
        if (change != null) {
            pendingChanges.add(change);
            pendingTracked.put(t.taskId(), ChangeDetector.track(t));
        }
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
        pendingTracked = new HashMap<>();
        pendingChanges = new ArrayList<>();
        pendingScan = new ScanState(scan.doneBelowMs(), scan.toMs(), null);
        pendingScanDone = false;
        return true;
    }

    /**
     * Applies the accepted page; call only after its changes are durable.
     *
     * @return the checkpoint to save, or null when the request changed nothing worth a write (a
     *         look-up that found its task unchanged: only the turn order would move, and losing that is harmless)
     */
    public Checkpoint commit() {
        tracked.putAll(pendingTracked);
        report.events += pendingChanges.size();
        boolean changed = !pendingChanges.isEmpty() || !pendingQuery.isLookup();
        if (pendingQuery.isLookup()) {
            String id = pendingQuery.taskId();
            TrackedTask current = tracked.get(id);
            if (current != null && current.terminal() && current.startedAtMs() < watermarkMs - FORGET_MARGIN_MS) {
                // Well below the watermark: no scan will list it again, so there is nothing to de-duplicate.
                tracked.remove(id);
            }
            lookupCursor = id;
            nextLookup++;
            report.lookups++;
            if (nextLookup >= lookups.size()) {
                phase = Phase.DONE;
            }
        } else {
            pagesFetched++;
            report.pages++;
            if (pendingScanDone) {
                finishScan(scan);
                scan = null;
            } else {
                scan = pendingScan;
                report.moreToFetch = pagesFetched >= settings.maxPagesPerPoll();
            }
        }
        pendingQuery = null;
        return changed ? checkpoint() : null;
    }

    /**
     * After a complete scan of [from, to]: the next scan starts at the oldest of "to minus the safety
     * lag" and the start of the oldest task still open that is younger than the re-scan window. Older
     * open tasks no longer hold the window open; they are looked up by id. Finished tasks that fall
     * below the new watermark are forgotten (no scan lists them again), and tasks open for longer than
     * max-open-age are dropped.
     */
    private void finishScan(ScanState done) {
        long candidate = done.toMs() - settings.safetyLag().toMillis();
        long youngFrom = done.toMs() - settings.rescanWindow().toMillis();
        long dropBefore = now.toEpochMilli() - settings.maxOpenAge().toMillis();
        for (TrackedTask t : tracked.values()) {
            if (!t.terminal() && t.startedAtMs() >= youngFrom && t.startedAtMs() < candidate) {
                candidate = t.startedAtMs();
            }
        }
        watermarkMs = Math.max(watermarkMs, candidate);
        long forgetBefore = watermarkMs - FORGET_MARGIN_MS;
        tracked.entrySet().removeIf(e -> {
            TrackedTask t = e.getValue();
            if (t.terminal()) {
                return t.startedAtMs() < forgetBefore;
            }
            if (t.startedAtMs() < dropBefore) {
                report.dropped.add(e.getKey());
                return true;
            }
            return false;
        });
        lookups = oldOpenTasksInTurn();
        nextLookup = 0;
        phase = lookups.isEmpty() ? Phase.DONE : Phase.LOOKUP;
    }

    /** Open tasks below the watermark, at most max-lookups-per-poll, continuing after the last one looked up. */
    private List<String> oldOpenTasksInTurn() {
        List<String> old = new ArrayList<>();
        tracked.forEach((id, t) -> {
            if (!t.terminal() && t.startedAtMs() < watermarkMs) {
                old.add(id);
            }
        });
        old.sort(Comparator.naturalOrder());
        report.oldOpen = old.size();
        if (old.size() <= settings.maxLookupsPerPoll()) {
            return old;
        }
        int start = 0;
        if (lookupCursor != null) {
            while (start < old.size() && old.get(start).compareTo(lookupCursor) <= 0) {
                start++;
            }
        }
        List<String> turn = new ArrayList<>(settings.maxLookupsPerPoll());
        for (int i = 0; i < settings.maxLookupsPerPoll(); i++) {
            turn.add(old.get((start + i) % old.size()));
        }
        return turn;
    }

    /** The query sent by the request in flight. */
    public PageQuery pendingQuery() {
        return pendingQuery;
    }

    public Checkpoint checkpoint() {
        return new Checkpoint(watermarkMs, scan, tracked, lookupCursor);
    }

    /**
     * The checkpoint to store: without the finished tasks no scan will list again. They stay in memory
     * (the in-memory checkpoint keeps them), but a long catch-up scan would otherwise store every
     * finished task it met and rewrite all of them on every page. Kept: every open task, and finished
     * ones that started after both the least the watermark will be once this scan ends (its end minus
     * the larger of safety-lag and re-scan window, see {@link #finishScan}) and the point from which a
     * refused page token makes this scan start over ({@link #restartScan}), each less a second for the
     * APIs that take whole seconds.
     */
    public Checkpoint forStore(Checkpoint full) {
        if (full.scan() == null) {
            return full;
        }
        long nextWatermark = full.scan().toMs() - Math.max(settings.safetyLag().toMillis(), settings.rescanWindow().toMillis());
        long keepFrom = Math.min(nextWatermark, full.scan().doneBelowMs()) - FORGET_MARGIN_MS;
        Map<String, TrackedTask> kept = new HashMap<>();
        full.tracked().forEach((id, t) -> {
            if (!t.terminal() || t.startedAtMs() >= keepFrom) {
                kept.put(id, t);
            }
        });
        return kept.size() == full.tracked().size() ? full
                : new Checkpoint(full.watermarkMs(), full.scan(), kept, full.lookupCursor());
    }

    /** Open tasks currently tracked. */
    public long openTracked() {
        return tracked.values().stream().filter(t -> !t.terminal()).count();
    }

    public CycleReport report() {
        return report;
    }

    /** What one poll did, for the progress line and the counters. */
    public static final class CycleReport {
        public int apiCalls;
        public int pages;
        public int lookups;
        public int events;
        public int oldOpen;
        public boolean moreToFetch;
        public final List<String> dropped = new ArrayList<>();

        /** Something was committed in this poll. */
        public boolean progressed() {
            return pages > 0 || lookups > 0;
        }
    }
}
