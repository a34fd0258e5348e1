package org.asynctask.exporter.poll;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Which of the tasks waiting for a look-up by id get one in this poll. */
final class LookupTurns {
    private LookupTurns() {}

    /** At most {@code max} of {@code ids} (max-lookups-per-poll), in id order, continuing after {@code lookupCursor}. */
    static List<String> inTurn(List<String> ids, String lookupCursor, int max) {
        List<String> old = new ArrayList<>(ids);
        old.sort(Comparator.naturalOrder());
        if (old.size() <= max) {
            return old;
        }
        int start = 0;
        if (lookupCursor != null) {
            while (start < old.size() && old.get(start).compareTo(lookupCursor) <= 0) {
                start++;
            }
        }
        List<String> turn = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            turn.add(old.get((start + i) % old.size()));
        }
        return turn;
    }
}
