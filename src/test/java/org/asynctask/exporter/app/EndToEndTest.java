package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Await;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TruthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole exporter (real routes, camel-http over loopback, file sink, file checkpoints) against
 * the FC 3.0 simulator, judged against the simulator's ground truth.
 */
class EndToEndTest {
    /** Busy functions, short tasks, and some long ones that outlive the re-scan window. */
    static final SimProfile BUSY = new SimProfile(7, 15, Duration.ofMillis(400), Duration.ofSeconds(4), 0.15);

    static final Map<String, String> FAST_POLLING = Map.of(
            "interval", "300ms",
            "page-size", "10",
            "safety-lag", "300ms",
            // Tasks open longer than 1s are looked up by id instead of holding the scan window open.
            "rescan-window", "1s",
            // Tasks open longer than that are checked in 10 turns: each within 3 s.
            "old-task-check-interval", "3s",
            "initial-lookback", "3h");

    @TempDir
    Path dir;

    @Test
    void publishesEveryTransitionItSeesAndEveryFinalStatus() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, BUSY, Clock.systemUTC())) {
            ExporterConfig config = TestExporter.config(sim, FAST_POLLING, TestExporter.scfWithinItsRateLimit(Map.of()));
            long lookups;
            long huaweiWithoutBeginTime;
            long tencentRateLimited;
            long started;
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                // Its first polls read what the simulator did before: from then on it watches every function.
                started = Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30));
                Thread.sleep(6_000);
                sim.engine().stopArrivals();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                awaitAllFinalStatuses(sim);
                lookups = app.stats().lookups.get();
                huaweiWithoutBeginTime = sim.huaweiRequestsWithoutBeginTime();
                tencentRateLimited = sim.tencentRateLimited();
            }
            GroundTruth truth = GroundTruth.read(sim.transitions());
            PublishedEvents published = PublishedEvents.readAfterStop(TestExporter.eventsDir(sim));

            assertThat(truth.statusesByTask()).hasSizeGreaterThan(150);
            // FC 3.0 functions, FC 2.0 functions listed (FC signature) and discovered (ACS3): all in the truth.
            assertThat(published.events()).extracting(e -> e.json().at("/data/task/provider").asText() + " " + e.json().at("/source").asText())
                    .anyMatch(s -> s.startsWith("alibaba-fc3 "))
                    .anyMatch(s -> s.equals("alibaba-fc2 /alibaba-fc2/1234567890123456/cn-hangzhou/billing/invoice"))
                    .anyMatch(s -> s.equals("alibaba-fc2 /alibaba-fc2/1234567890123456/cn-hangzhou/media/transcode"))
                    .anyMatch(s -> s.startsWith("huawei-functiongraph /huawei-functiongraph/"))
                    .anyMatch(s -> s.equals("tencent-scf /tencent-scf/1250000000/ap-guangzhou/jobs/etl"));
            assertThat(tencentRateLimited).as("the client-side limiter keeps SCF under its 20 requests per second").isZero();
            // Huawei tasks started two hours ago finish during the test: beyond the API's one-hour default window.
            java.time.Instant hourAgo = java.time.Instant.now().minus(Duration.ofHours(1));
            assertThat(published.events()).filteredOn(e -> e.json().at("/data/task/provider").asText().equals("huawei-functiongraph"))
                    .filteredOn(e -> java.time.Instant.parse(e.json().at("/data/task/startedAt").asText()).isBefore(hourAgo))
                    .extracting(PublishedEvents.Event::providerStatus).contains("SUCCESS");
            assertThat(huaweiWithoutBeginTime).as("every FunctionGraph request carried query_begin_time").isZero();
            TruthCheck.polledEvery(Duration.ofMillis(300)).except(ScfProvider.ID, TestExporter.SCF_INTERVAL).runningFrom(started)
                    .check(truth, published);
            Checks.noDuplicateIds(published);
            // Payload privacy: no source enables include-payload, so no task input or result is written.
            assertThat(published.events()).noneMatch(e -> e.json().at("/data/task").has("payload")
                    || e.json().at("/data/task").has("result") || e.line().contains("{\\\"order\\\":"));
            // Long tasks outlived the re-scan window, so the id look-up path really ran.
            assertThat(lookups).isPositive();
        }
    }

    /** No new tasks from now on; waits until the ones under way finished and every final status is published. */
    static void stopArrivalsAndAwaitFinalStatuses(SimulatorServer sim) {
        sim.engine().stopArrivals();
        await().atMost(Duration.ofSeconds(60)).until(sim.engine()::quiet);
        awaitAllFinalStatuses(sim, Duration.ofSeconds(60));
    }

    static void awaitAllFinalStatuses(SimulatorServer sim) {
        awaitAllFinalStatuses(sim, Duration.ofSeconds(30));
    }

    static void awaitAllFinalStatuses(SimulatorServer sim, Duration atMost) {
        Await.allFinalStatuses(sim, TestExporter.eventsDir(sim), atMost);
    }
}
