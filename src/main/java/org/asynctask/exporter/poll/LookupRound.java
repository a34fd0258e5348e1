package org.asynctask.exporter.poll;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TrackedTask;

/**
 * The LOOKUP phase of a poll: the old open tasks the status checks found changed, and those earlier polls
 * had no turn for, asked for one by one by id, at most max-lookups-per-poll, in turns ({@link LookupTurns}).
 * The rest wait for the next poll ({@link Checkpoint#pendingLookups()}); the turn order's cursor is part of
 * the checkpoint too. Answers are committed in batches, like the pages of a scan.
 */
final class LookupRound {
    private static final int PAGE_SIZE = 10;

    private String cursor;
    private Set<String> waiting;
    private List<String> ids = List.of();
    private int next;
    private int answered;

    LookupRound(String cursor, Set<String> waiting) {
        this.cursor = cursor;
        this.waiting = waiting;
    }

    /**
     * Picks this poll's look-ups. A slice of the tasks checked in turns is checked again only a turn later,
     * so without the waiting ones its changed tasks beyond the limit would wait that long.
     *
     * @return whether there is any
     */
    boolean start(List<String> changed, Map<String, TrackedTask> tracked, int max) {
        Set<String> candidates = new HashSet<>(changed);
        for (String id : waiting) {
            TrackedTask t = tracked.get(id);
            if (t != null && !t.terminal()) {
                candidates.add(id);
            }
        }
        ids = LookupTurns.inTurn(new ArrayList<>(candidates), cursor, max);
        ids.forEach(candidates::remove);
        waiting = Set.copyOf(candidates);
        next = 0;
        return !ids.isEmpty();
    }

    boolean hasNext() {
        return next + answered < ids.size();
    }

    PageQuery nextQuery(Map<String, TrackedTask> tracked) {
        String id = ids.get(next + answered);
        return PageQuery.lookup(id, Instant.ofEpochMilli(tracked.get(id).startedAtMs()), PAGE_SIZE);
    }

    /** Hands the tasks of the page that are the one asked for to {@code observe}. */
    void accept(Page page, Consumer<Task> observe) {
        String id = ids.get(next + answered);
        for (Task t : page.tasks()) {
            if (t.taskId().equals(id)) {
                observe.accept(t);
            }
        }
        answered++;
    }

    /** @return the look-ups answered since the last commit, the cursor now after them */
    List<String> commit() {
        List<String> done = List.copyOf(ids.subList(next, next + answered));
        if (!done.isEmpty()) {
            cursor = done.get(done.size() - 1);
        }
        next += answered;
        answered = 0;
        return done;
    }

    String cursor() {
        return cursor;
    }

    Set<String> waiting() {
        return waiting;
    }
}
