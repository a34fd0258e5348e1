package org.asynctask.exporter.poll;

import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TrackedTask;

/**
 * The ENDED phase of a poll, where the API filters by end time: one listing, page by page, of the old open
 * tasks that ended since the last one ({@link OpenTaskChecks#endedListing}). Its cursor, the end of the last
 * complete listing, is part of the checkpoint; a page's token is applied only when its page is committed.
 */
final class EndedRound {
    private long cursorMs;
    private OpenTaskChecks.EndedListing listing;
    private String token;
    private String pendingToken;
    private boolean pendingDone;

    EndedRound(long cursorMs) {
        this.cursorMs = cursorMs;
    }

    /**
     * After a complete scan: the listing to make (null: none) and where the cursor stands.
     *
     * @return whether there is a listing to make
     */
    boolean start(OpenTaskChecks.EndedListing listing, long cursorMs) {
        this.listing = listing;
        this.cursorMs = cursorMs;
        return listing != null;
    }

    PageQuery nextQuery(int pageSize) {
        return PageQuery.window(
                        Instant.ofEpochMilli(listing.startFromMs()),
                        Instant.ofEpochMilli(listing.startToMs()),
                        token,
                        pageSize)
                .endedBetween(Instant.ofEpochMilli(listing.endFromMs()), Instant.ofEpochMilli(listing.endToMs()));
    }

    /**
     * Hands the page's tasks that are tracked and open to {@code observe}: one that ended and was already
     * published and forgotten must not come back as new.
     */
    void accept(Page page, Map<String, TrackedTask> tracked, Consumer<Task> observe) {
        for (Task t : page.tasks()) {
            TrackedTask known = tracked.get(t.taskId());
            if (known != null && !known.terminal()) {
                observe.accept(t);
            }
        }
        pendingToken = page.nextToken();
        pendingDone = page.last();
    }

    /** @return whether the listing is complete: the cursor then stands at its end */
    boolean commit() {
        if (!pendingDone) {
            token = pendingToken;
            return false;
        }
        cursorMs = listing.endToMs();
        token = null;
        return true;
    }

    long cursorMs() {
        return cursorMs;
    }
}
