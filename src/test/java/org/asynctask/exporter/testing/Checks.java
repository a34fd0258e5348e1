package org.asynctask.exporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The ground-truth checks every end-to-end test applies. */
public final class Checks {
    private Checks() {
    }

    /** Every task of the truth has its final status published, as the last status published for it. */
    public static void everyFinalStatusPublished(GroundTruth truth, PublishedEvents published) {
        Map<String, String> last = published.lastStatusByTask();
        List<String> missing = new ArrayList<>();
        truth.statusesByTask().forEach((task, statuses) -> {
            if (!statuses.get(statuses.size() - 1).equals(last.get(task))) {
                missing.add(task + " truth=" + statuses + " last published=" + last.get(task));
            }
        });
        assertThat(missing).as("tasks whose final status is not the last one published").isEmpty();
    }

    /** Per task, the published statuses appear in the true history in the same order. */
    public static void publishedStatusesAreSubsequenceOfTruth(GroundTruth truth, PublishedEvents published) {
        List<String> wrong = new ArrayList<>();
        published.byTask().forEach((task, events) -> {
            List<String> real = truth.statusesByTask().getOrDefault(task, List.of());
            Iterator<String> it = real.iterator();
            for (PublishedEvents.Event e : events) {
                boolean found = false;
                while (it.hasNext() && !found) {
                    found = it.next().equals(e.providerStatus());
                }
                if (!found) {
                    wrong.add(task + " published " + events.stream().map(PublishedEvents.Event::providerStatus).toList()
                            + " truth " + real);
                    return;
                }
            }
        });
        assertThat(wrong).as("tasks whose published statuses are not a subsequence of the truth").isEmpty();
    }

    /**
     * Where the provider records a task's history (FC), each event names the status before it, which is
     * the task's previous event (none on its first); elsewhere no event names one: the exporter does
     * not guess it. Repeated ids count once.
     */
    public static void previousStatusChains(PublishedEvents published) {
        Map<GroundTruth.TaskRef, String> last = new HashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<String> broken = new ArrayList<>();
        for (PublishedEvents.Event e : published.events()) {
            if (!seen.add(e.id())) {
                continue;
            }
            boolean history = e.provider().startsWith("alibaba-");
            String expected = history ? last.get(e.ref()) : null;
            JsonNode previous = e.json().at("/data/previousProviderStatus");
            String actual = previous.isMissingNode() || previous.isNull() ? null : previous.asText();
            if (expected == null ? actual != null : !expected.equals(actual)) {
                broken.add(e.ref() + " " + e.providerStatus() + ": previous=" + actual + " but expected " + expected);
            }
            last.put(e.ref(), e.providerStatus());
        }
        assertThat(broken).as("events whose previousStatus is not the status before it in the provider's history").isEmpty();
    }

    public static void noDuplicateIds(PublishedEvents published) {
        Map<String, Integer> counts = new HashMap<>();
        published.events().forEach(e -> counts.merge(e.id(), 1, Integer::sum));
        assertThat(counts.entrySet().stream().filter(c -> c.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("event ids published more than once").isEmpty();
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
