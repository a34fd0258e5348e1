package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.simulator.FunctionSim;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog (a function with many finished tasks, first polled) is caught up in back-to-back polls with
 * adaptive polling, and one poll per interval without it. Measured on the simulator's request times.
 */
class AdaptivePollingIT {
    private static final int BACKLOG = 150;
    private static final int PAGE_SIZE = 10;
    private static final int PAGES_PER_POLL = 3;
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    /**
     * The requests made until the backlog was published.
     *
     * @param waits gaps between requests longer than half the interval: the poller waited for its interval
     */
    private record CatchUp(int calls, long spanNanos, long largestGapNanos, int waits, long events) {}

    @Test
    void aBacklogIsFetchedInBackToBackPollsInsteadOfOnePollPerInterval() throws Exception {
        CatchUp fixed = catchUp(false);
        CatchUp adaptive = catchUp(true);
        String figures = "fixed " + fixed + ", adaptive " + adaptive;
        System.out.println("catch-up of " + BACKLOG + " tasks: " + figures);

        // Without it: one poll of PAGES_PER_POLL pages per interval, so it waited between polls (15 pages: 4-5 polls).
        assertThat(fixed.waits()).as(figures).isGreaterThanOrEqualTo(2);
        assertThat(fixed.spanNanos()).as(figures).isGreaterThanOrEqualTo(2 * INTERVAL.toNanos());
        // With it: the next poll follows at once, no waiting for an interval anywhere.
        assertThat(adaptive.waits()).as(figures).isZero();
        assertThat(adaptive.spanNanos()).as(figures).isLessThan(fixed.spanNanos() / 2);
        // The same work (every task once, checked in each run), with about as many calls.
        assertThat(adaptive.calls()).as(figures).isLessThanOrEqualTo(fixed.calls() + PAGES_PER_POLL);
    }

    private CatchUp catchUp(boolean adaptiveOn) throws Exception {
        Path runDir = dir.resolve(adaptiveOn ? "adaptive" : "fixed");
        // Few tasks of its own, all short: the backlog is what matters.
        SimProfile quiet = new SimProfile(7, 1, Duration.ofMillis(100), Duration.ofMillis(100), 0);
        try (SimulatorServer sim = SimulatorServer.start(0, runDir, quiet, Clock.systemUTC())) {
            sim.engine().stopArrivals();
            FunctionSim orders = sim.engine().function(Fc3Provider.ID, null, "orders");
            sim.engine().addFinishedTasks(orders, BACKLOG, Duration.ofMinutes(30));
            while (!sim.engine().quiet()) {
                Thread.sleep(50);
            }
            long tasks = sim.engine().read(e -> (long) orders.tasks().size());
            // FC publishes every transition its task history records.
            long transitions = sim.engine()
                    .read(e -> orders.tasks().stream()
                            .mapToLong(t -> t.history().size())
                            .sum());

            Map<String, String> source = new HashMap<>(TestExporter.FAST_POLLING);
            source.putAll(Map.of(
                    "page-size",
                    Integer.toString(PAGE_SIZE),
                    "max-pages-per-poll",
                    Integer.toString(PAGES_PER_POLL),
                    "interval",
                    INTERVAL.toMillis() + "ms",
                    "adaptive",
                    Boolean.toString(adaptiveOn)));
            Map<String, String> raw = new HashMap<>(TestExporter.raw(sim, source, Map.of()));
            // Only the FC 3.0 function with the backlog.
            raw.keySet().removeIf(k -> k.startsWith("exporter.source.") && !k.startsWith("exporter.source.fc3-demo."));
            raw.put("exporter.source.fc3-demo.functions", "orders");
            ExporterConfig config = ExporterConfig.parse(raw, System::getenv, Providers.catalog());
            long caughtUp;
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (app.stats().events.get() < transitions && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                caughtUp = System.nanoTime();
                assertThat(app.stats().events.get())
                        .as("every transition of every task of the backlog published")
                        .isEqualTo(transitions);
            }
            List<Long> times = sim.requests().times(Fc3Provider.ID).stream()
                    .filter(t -> t <= caughtUp)
                    .toList();
            long largestGap = 0;
            int waits = 0;
            for (int i = 1; i < times.size(); i++) {
                long gap = times.get(i) - times.get(i - 1);
                largestGap = Math.max(largestGap, gap);
                waits += gap > INTERVAL.toNanos() / 2 ? 1 : 0;
            }
            return new CatchUp(times.size(), times.get(times.size() - 1) - times.get(0), largestGap, waits, tasks);
        }
    }
}
