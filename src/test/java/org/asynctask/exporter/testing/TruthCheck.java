package org.asynctask.exporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.asynctask.exporter.simulator.SimulatedAlibaba;
import org.asynctask.exporter.simulator.SimulatedFunctionGraph;
import org.asynctask.exporter.simulator.SimulatedScf;

/**
 * What users rely on, checked against the simulator's ground truth for every published event and every
 * true task:
 * <ul>
 * <li>each event belongs to a task the provider has, in that function (provider, namespace, function,
 *     qualifier), with its own task key, subject and source, and the account and region of its source;</li>
 * <li>per task, the events (a repeated id counted once: consumers drop repeats) follow the true history
 *     in order, each dated as the provider dates it: the transition's own time where the provider
 *     records one (FC 3.0 and FC 2.0 {@code events}), else the end time for a final status and the
 *     start time for the others; a status published after a later one, or a wrong time, fails;</li>
 * <li>each event's previous status is the one before it in the provider's history where the provider
 *     records one (FC), and absent elsewhere;</li>
 * <li>where the provider records every transition (FC), every transition is published; elsewhere every
 *     final status is, and every status that lasted at least three poll intervals while an exporter was
 *     running: a poller may miss a status shorter than that, never a longer one.</li>
 * </ul>
 */
public final class TruthCheck {
    /** Providers whose answers date every status (the task's {@code events}). */
    private static final Set<String> DATED = Set.of("alibaba-fc3", "alibaba-fc2");
    /** Providers whose times have whole seconds only. */
    private static final Set<String> SECONDS = Set.of("huawei-functiongraph");

    private static final Map<String, List<String>> ACCOUNT_AND_REGION = Map.of(
            "alibaba-fc3", List.of(SimulatedAlibaba.ACCOUNT, SimulatedAlibaba.REGION),
            "alibaba-fc2", List.of(SimulatedAlibaba.ACCOUNT, SimulatedAlibaba.REGION),
            "huawei-functiongraph", List.of(SimulatedFunctionGraph.PROJECT, SimulatedFunctionGraph.REGION),
            "tencent-scf", List.of(SimulatedScf.APP_ID, SimulatedScf.REGION));

    /** When an exporter was running (epoch ms, {@code to} exclusive). */
    public record Window(long fromMs, long toMs) {
        @Override
        public String toString() {
            // In epoch ms, as the ground truth's transitions print.
            return "[" + fromMs + ", " + (toMs == Long.MAX_VALUE ? "on" : Long.toString(toMs)) + ")";
        }
    }

    private final Duration interval;
    private final Map<String, Duration> intervalByProvider;
    private final List<Window> up;

    private TruthCheck(Duration interval, Map<String, Duration> intervalByProvider, List<Window> up) {
        this.interval = interval;
        this.intervalByProvider = intervalByProvider;
        this.up = up;
    }

    /** An exporter polled every function every {@code interval} the whole time. */
    public static TruthCheck polledEvery(Duration interval) {
        return new TruthCheck(interval, Map.of(), null);
    }

    /** Except the functions of {@code provider}: every {@code providerInterval} (see {@link TestExporter#scfWithinItsRateLimit}). */
    public TruthCheck except(String provider, Duration providerInterval) {
        Map<String, Duration> by = new LinkedHashMap<>(intervalByProvider);
        by.put(provider, providerInterval);
        return new TruthCheck(interval, Map.copyOf(by), up);
    }

    /**
     * The exporter read what happened after the fact (a backlog, a backfill, tasks shorter than its
     * interval): only the FC histories and every final status must all be there.
     */
    public static TruthCheck afterTheFact() {
        return new TruthCheck(Duration.ZERO, Map.of(), List.of());
    }

    /** Exporters ran only in these windows (crash and restart drills). */
    public TruthCheck runningIn(List<Window> windows) {
        return new TruthCheck(interval, intervalByProvider, List.copyOf(windows));
    }

    /** One exporter ran from {@code startMs} on (what happened before it started it may not have seen). */
    public TruthCheck runningFrom(long startMs) {
        return runningIn(List.of(new Window(startMs, Long.MAX_VALUE)));
    }

    public void check(GroundTruth truth, PublishedEvents published) {
        List<String> wrong = new ArrayList<>();
        Map<GroundTruth.TaskRef, List<PublishedEvents.Event>> byTask = new LinkedHashMap<>();
        Set<String> seenIds = new LinkedHashSet<>();
        for (PublishedEvents.Event e : published.events()) {
            if (seenIds.add(e.id())) {
                byTask.computeIfAbsent(e.ref(), r -> new ArrayList<>()).add(e);
            }
        }
        byTask.forEach((ref, events) -> {
            GroundTruth.TrueTask task = truth.task(ref);
            if (task == null) {
                wrong.add(ref + ": published, but the provider has no such task in that function");
                return;
            }
            events.forEach(e -> identity(task, e, wrong));
            boolean[] matched = match(task, events, wrong);
            int before = wrong.size();
            missing(task, matched, wrong);
            if (wrong.size() > before) {
                wrong.set(
                        wrong.size() - 1,
                        wrong.get(wrong.size() - 1) + "; published "
                                + events.stream()
                                        .map(e -> e.providerStatus() + "@" + e.timeMs())
                                        .toList());
            }
        });
        truth.tasks().stream()
                .filter(t -> !byTask.containsKey(t.ref()))
                .forEach(t -> missing(t, new boolean[t.transitions().size()], wrong));
        assertThat(wrong.subList(0, Math.min(wrong.size(), 30)))
                .as(
                        "events that disagree with the ground truth (%d in all; exporters ran %s)",
                        wrong.size(), up == null ? "all the time" : up)
                .isEmpty();
    }

    /** Where the event says the task lives, and how it names it. */
    private static void identity(GroundTruth.TrueTask task, PublishedEvents.Event e, List<String> wrong) {
        var t = e.task();
        String ns = t.has("namespace") ? t.get("namespace").asText() : "-";
        List<String> accountAndRegion = ACCOUNT_AND_REGION.get(task.ref().provider());
        String expectedKey = String.join(
                "/",
                task.ref().provider(),
                accountAndRegion.get(0),
                accountAndRegion.get(1),
                ns,
                t.path("function").asText(),
                task.ref().taskId());
        String expectedSource = "/" + task.ref().provider() + "/" + accountAndRegion.get(0) + "/"
                + accountAndRegion.get(1) + "/" + task.ref().partition();
        if (!t.path("account").asText().equals(accountAndRegion.get(0))
                || !t.path("region").asText().equals(accountAndRegion.get(1))) {
            wrong.add(task.ref() + ": account/region " + t.path("account").asText() + "/"
                    + t.path("region").asText());
        }
        if (task.qualifier() != null
                && !task.qualifier().equals(t.path("qualifier").asText())) {
            wrong.add(
                    task.ref() + ": qualifier " + t.path("qualifier").asText() + ", the task's is " + task.qualifier());
        }
        if (!e.json().path("taskkey").asText().equals(expectedKey)
                || !e.json().path("subject").asText().equals(task.ref().taskId())
                || !e.json().path("source").asText().equals(expectedSource)) {
            wrong.add(task.ref() + ": taskkey " + e.json().path("taskkey").asText() + ", subject "
                    + e.json().path("subject").asText() + ", source "
                    + e.json().path("source").asText() + "; expected " + expectedKey + ", " + expectedSource);
        }
    }

    /** Matches the events to the true history in order. @return which transitions were published */
    private static boolean[] match(GroundTruth.TrueTask task, List<PublishedEvents.Event> events, List<String> wrong) {
        List<GroundTruth.Transition> history = task.transitions();
        boolean[] matched = new boolean[history.size()];
        int next = 0;
        for (PublishedEvents.Event e : events) {
            int found = -1;
            for (int i = next; i < history.size() && found < 0; i++) {
                if (history.get(i).status().equals(e.providerStatus()) && e.timeMs() == expectedTime(task, i)) {
                    found = i;
                }
            }
            if (found < 0) {
                wrong.add(task.ref() + ": published " + e.providerStatus() + " at " + Instant.ofEpochMilli(e.timeMs())
                        + ", which is not a later step of its history " + history + " after the "
                        + (next == 0 ? "start" : history.get(next - 1).status() + " published before")
                        + " (out of order, stale, or dated wrong)");
                return matched;
            }
            matched[found] = true;
            previous(task, found, e, wrong);
            next = found + 1;
        }
        return matched;
    }

    /**
     * Where the provider records the history (FC), an event names the status before it in that history
     * (none on its first step); elsewhere it names none: the exporter does not guess it.
     */
    private static void previous(GroundTruth.TrueTask task, int i, PublishedEvents.Event e, List<String> wrong) {
        String expected = DATED.contains(task.ref().provider()) && i > 0
                ? task.transitions().get(i - 1).status()
                : null;
        JsonNode node = e.previousProviderStatus();
        String actual = node.isMissingNode() ? null : node.asText();
        if (expected == null ? actual != null : !expected.equals(actual)) {
            wrong.add(task.ref() + ": " + e.providerStatus() + " published with previousProviderStatus " + actual
                    + ", expected " + (expected == null ? "none" : expected) + "; history " + task.transitions());
        }
    }

    /** The time an event of transition {@code i} must carry. */
    private static long expectedTime(GroundTruth.TrueTask task, int i) {
        List<GroundTruth.Transition> history = task.transitions();
        boolean last = i == history.size() - 1;
        long at = DATED.contains(task.ref().provider()) || last
                ? history.get(i).atMs()
                : history.get(0).atMs();
        return SECONDS.contains(task.ref().provider()) ? at - Math.floorMod(at, 1000) : at;
    }

    /** Final statuses, and statuses that lasted three poll intervals while an exporter ran, that were not published. */
    private void missing(GroundTruth.TrueTask task, boolean[] matched, List<String> wrong) {
        List<GroundTruth.Transition> history = task.transitions();
        for (int i = 0; i < history.size(); i++) {
            if (matched[i]) {
                continue;
            }
            if (i == history.size() - 1) {
                wrong.add(task.ref() + ": final status " + history.get(i).status() + " not published; history "
                        + history);
            } else if (DATED.contains(task.ref().provider())) {
                wrong.add(task.ref() + ": " + history.get(i).status()
                        + " is in the task's history and was not published; history " + history);
            } else {
                long watched =
                        runningFor(history.get(i).atMs(), history.get(i + 1).atMs());
                Duration interval = intervalByProvider.getOrDefault(task.ref().provider(), this.interval);
                if (!interval.isZero() && watched >= 3 * interval.toMillis()) {
                    wrong.add(task.ref() + ": " + history.get(i).status() + " lasted "
                            + (history.get(i + 1).atMs() - history.get(i).atMs())
                            + " ms, " + watched + " ms of it while an exporter ran (three poll intervals are "
                            + 3 * interval.toMillis()
                            + " ms), and was not published; history " + history);
                }
            }
        }
    }

    /** How much of [from, to) an exporter was running. */
    private long runningFor(long from, long to) {
        if (up == null) {
            return to - from;
        }
        long covered = 0;
        for (Window w : up) {
            covered += Math.max(0, Math.min(to, w.toMs()) - Math.max(from, w.fromMs()));
        }
        return covered;
    }
}
