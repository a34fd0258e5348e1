package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.simulator.Faults;
import org.asynctask.exporter.simulator.SimPopulation;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatedScf;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TruthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog that takes many small pages to read: the exporter must stay under SCF's 20 requests per
 * second (the simulator refuses the 21st with RequestLimitExceeded) and still finish. And an account
 * whose limit is used up must not hold up the other accounts' polls.
 */
class RateLimitIT {
    @TempDir
    Path dir;

    @Test
    void staysUnderTheProvidersLimitAndStillCompletesItsScan() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(
                0,
                dir,
                new SimProfile(21, 40, Duration.ofMillis(300), Duration.ofSeconds(2), 0.05),
                Clock.systemUTC())) {
            Thread.sleep(3_000);
            sim.engine().stopArrivals();
            ExporterConfig config = TestExporter.config(
                    sim,
                    Map.of(
                            "interval",
                            "300ms",
                            "page-size",
                            "3",
                            "safety-lag",
                            "300ms",
                            "rescan-window",
                            "1s",
                            "old-task-check-interval",
                            "3s",
                            "initial-lookback",
                            "3h",
                            "max-pages-per-poll",
                            "1000"));
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                TestExporter.awaitAllFinalStatuses(sim, Duration.ofSeconds(90));
                // The limit was reached, not merely respected: SCF's requests waited for it or polls were put off.
                String metrics = Readiness.get(app.metricsPort(), "/metrics").body();
                assertThat(metrics.lines()
                                .filter(l -> l.startsWith("asynctask_exporter_rate_limit_wait_seconds_total")
                                        || l.startsWith("asynctask_exporter_rate_limit_deferred_polls_total"))
                                .filter(l -> l.contains("source=\"tencent-demo\""))
                                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                                .sum())
                        .as("time SCF requests waited for the limit, and polls put off by it")
                        .isPositive();
            }
            assertThat(sim.api(SimulatedScf.class).rateLimited())
                    .as("requests refused for going over 20 per second")
                    .isZero();
            assertThat(sim.api(SimulatedScf.class).busiestSecond())
                    .as("never over the limit in any second")
                    .isBetween(1, 20);
            GroundTruth truth = GroundTruth.read(sim.transitions());
            PublishedEvents published = PublishedEvents.readAfterStop(TestExporter.eventsDir(sim));
            // A backlog, read after the fact.
            TruthCheck.afterTheFact().check(truth, published);
            Checks.noDuplicateIds(published);
        }
    }

    @Test
    void aSourceOverItsRateLimitDoesNotHoldUpTheOthers() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(
                0, dir, SimProfile.scale(5), Clock.systemUTC(), Faults.none(), SimPopulation.functions(30))) {
            // 30 SCF functions a second on 2 requests a second, and 30 FC 3.0 functions, on two poll threads.
            Map<String, String> raw = new HashMap<>(
                    TestExporter.raw(sim, Map.of("interval", "1s"), Map.of("exporter.poll-threads", "2")));
            raw.keySet()
                    .removeIf(k -> k.startsWith("exporter.source.")
                            && !k.startsWith("exporter.source.fc3-")
                            && !k.startsWith("exporter.source.tencent-"));
            raw.put("exporter.source.tencent-001.rate-limit", "2");
            ExporterConfig config = ExporterConfig.parse(raw, System::getenv, Providers.catalog());
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> app.partitionStates().stream()
                                .filter(p -> p.key().provider().equals(Fc3Provider.ID))
                                .allMatch(p -> app.metrics().snapshot(p.key()) != null));
                Map<PartitionKey, List<Long>> starts = new HashMap<>();
                long end = System.currentTimeMillis() + 6_000;
                while (System.currentTimeMillis() < end) {
                    app.partitionStates().stream()
                            .filter(p -> p.key().provider().equals(Fc3Provider.ID))
                            .forEach(p -> {
                                List<Long> seen = starts.computeIfAbsent(p.key(), k -> new ArrayList<>());
                                if (seen.isEmpty() || seen.get(seen.size() - 1) != p.lastPollMs()) {
                                    seen.add(p.lastPollMs());
                                }
                            });
                    Thread.sleep(50);
                }
                assertThat(starts).hasSize(30);
                starts.forEach((key, times) -> {
                    assertThat(times).as(key + ": polled on time").hasSizeGreaterThanOrEqualTo(5);
                    for (int i = 1; i < times.size(); i++) {
                        assertThat(times.get(i) - times.get(i - 1))
                                .as(key + ": gap between polls, ms")
                                .isLessThanOrEqualTo(2_000);
                    }
                });
                assertThat(sim.api(SimulatedScf.class).rateLimited()).isZero();
            }
        }
    }
}
