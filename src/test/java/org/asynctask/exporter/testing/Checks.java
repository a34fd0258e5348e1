package org.asynctask.exporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What every delivery must hold besides the ground truth ({@link TruthCheck}): ids and their repeats. */
public final class Checks {
    private Checks() {}

    public static void noDuplicateIds(PublishedEvents published) {
        Map<String, Integer> counts = new HashMap<>();
        published.events().forEach(e -> counts.merge(e.id(), 1, Integer::sum));
        assertThat(counts.entrySet().stream()
                        .filter(c -> c.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .toList())
                .as("event ids published more than once")
                .isEmpty();
    }

    /** A repeated id always carries exactly the same event. @return how many repeats there were */
    public static int repeatsAreIdentical(PublishedEvents published) {
        Map<String, String> firstLine = new HashMap<>();
        int repeats = 0;
        List<String> different = new ArrayList<>();
        for (PublishedEvents.Event e : published.events()) {
            String prior = firstLine.putIfAbsent(e.id(), e.line());
            if (prior != null) {
                repeats++;
                if (!prior.equals(e.line())) {
                    different.add(prior + "\n  vs " + e.line());
                }
            }
        }
        assertThat(different).as("repeated event ids with different content").isEmpty();
        return repeats;
    }
}
