package org.asynctask.exporter.poll;

import java.time.Instant;
import java.util.function.Consumer;
import org.asynctask.exporter.checkpoint.ScanState;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.task.Task;

/**
 * The SCAN phase of a poll: the start-time window [watermark, poll start], page by page, at most
 * max-pages-per-poll. Where it stands ({@link ScanState}, part of the checkpoint) moves only when the pages
 * accepted since the last commit are committed.
 */
final class ScanRound {
    private final boolean ascending;
    private final int maxPages;
    /** Null once the window's last page is committed. */
    private ScanState committed;
    /** Where the accepted pages leave the scan; null when none waits, or the last page was accepted. */
    private ScanState pending;

    private boolean lastPageAccepted;
    private int pagesCommitted;
    private boolean restarted;

    /** @param ascending the API lists a window in ascending start order (see {@link ScanState#doneBelowMs()}) */
    ScanRound(ScanState committed, boolean ascending, int maxPages) {
        this.committed = committed;
        this.ascending = ascending;
        this.maxPages = maxPages;
    }

    /** @param uncommitted the pages accepted since the last commit */
    boolean hasNext(int uncommitted) {
        return !lastPageAccepted && pagesCommitted + uncommitted < maxPages;
    }

    PageQuery nextQuery(int pageSize) {
        ScanState at = current();
        return PageQuery.window(
                Instant.ofEpochMilli(at.fromMs()), Instant.ofEpochMilli(at.toMs()), at.pageToken(), pageSize);
    }

    /** Where the scan stands with the pages accepted so far, committed or not. */
    private ScanState current() {
        return pending != null ? pending : committed;
    }

    /** Hands the page's tasks of this window to {@code observe}, and notes where the page leaves the scan. */
    void accept(Page page, Consumer<Task> observe) {
        ScanState at = current();
        long doneBelow = at.doneBelowMs();
        for (Task t : page.tasks()) {
            // An API that filters in whole seconds (FunctionGraph) also lists what started in the second after
            // the window: those belong to the next scan (a backfill's ends at --to).
            if (t.startedAt().toEpochMilli() < at.toMs()) {
                observe.accept(t);
                if (ascending) {
                    doneBelow = Math.max(doneBelow, t.startedAt().toEpochMilli());
                }
            }
        }
        pending = page.last() ? null : new ScanState(at.fromMs(), at.toMs(), page.nextToken(), doneBelow);
        lastPageAccepted = page.last();
    }

    /** The window's last page was accepted. */
    boolean lastPageAccepted() {
        return lastPageAccepted;
    }

    /**
     * The page token was refused: the window again from its first page, or, when the API lists in ascending
     * start order, from the start time the scan had reached (everything before it was on committed pages).
     * The pages accepted before stay valid; only the token is lost.
     *
     * @return false if this poll already restarted once
     */
    boolean restart() {
        if (restarted) {
            return false;
        }
        restarted = true;
        ScanState at = current();
        pending = new ScanState(at.doneBelowMs(), at.toMs(), null);
        return true;
    }

    boolean hasPending() {
        return pending != null;
    }

    /**
     * Applies the accepted pages.
     *
     * @return the window, once its last page is committed; else null
     */
    ScanState commit(int pages) {
        pagesCommitted += pages;
        ScanState complete = null;
        if (lastPageAccepted) {
            complete = committed;
            committed = null;
            lastPageAccepted = false;
        } else {
            committed = pending;
        }
        pending = null;
        return complete;
    }

    boolean reachedPageLimit() {
        return pagesCommitted >= maxPages;
    }

    /** Where the committed pages leave the scan: null once the window is complete. */
    ScanState state() {
        return committed;
    }
}
