package org.asynctask.exporter.poll;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TrackedTask;

/**
 * The CHECK phase of a poll: each status check lists, page by page, the old open tasks still in one raw
 * status. A tracked task of the check that its listing did not show has left that status (or vanished): it
 * is looked up by id afterwards. A page's token is applied only when its page is committed.
 */
final class StatusCheckRound {
    private final List<OpenTaskChecks.StatusCheck> checks;
    private int next;
    private String token;
    private final Set<String> listed = new HashSet<>();
    private final List<String> changed = new ArrayList<>();
    private String pendingToken;
    private boolean pendingDone;

    StatusCheckRound(List<OpenTaskChecks.StatusCheck> checks) {
        this.checks = checks;
    }

    boolean hasNext() {
        return next < checks.size();
    }

    PageQuery nextQuery(int pageSize) {
        OpenTaskChecks.StatusCheck check = checks.get(next);
        return PageQuery.window(
                        Instant.ofEpochMilli(check.fromMs()), Instant.ofEpochMilli(check.toMs()), token, pageSize)
                .withStatus(check.status());
    }

    /** Hands the page's tasks to {@code observe}, and notes them as listed. */
    void accept(Page page, Consumer<Task> observe) {
        for (Task t : page.tasks()) {
            listed.add(t.taskId());
            observe.accept(t);
        }
        pendingToken = page.nextToken();
        pendingDone = page.last();
    }

    /**
     * Applies the committed page; after the last page of a check, notes the tasks it did not list.
     *
     * @return whether every check is done
     */
    boolean commit(Map<String, TrackedTask> tracked) {
        if (!pendingDone) {
            token = pendingToken;
            return false;
        }
        OpenTaskChecks.StatusCheck check = checks.get(next);
        for (String id : check.ids()) {
            TrackedTask t = tracked.get(id);
            if (!listed.contains(id)
                    && t != null
                    && !t.terminal()
                    && t.providerStatus().equals(check.status())) {
                changed.add(id);
            }
        }
        listed.clear();
        token = null;
        next++;
        return !hasNext();
    }

    /** The tasks the finished checks found no longer in their status. */
    List<String> changed() {
        return changed;
    }
}
