package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.SimulatedFunctionGraph;
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
 * The whole exporter (real routes, camel-http over loopback, file sink, file checkpoints) against
 * the FC 3.0 simulator, judged against the simulator's ground truth.
 */
class EndToEndIT {
    @TempDir
    Path dir;

    @Test
    void publishesEveryTransitionItSeesAndEveryFinalStatus() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            ExporterConfig config =
                    TestExporter.config(sim, TestExporter.FAST_POLLING, TestExporter.scfWithinItsRateLimit(Map.of()));
            long lookups;
            long huaweiWithoutBeginTime;
            long tencentRateLimited;
            long started;
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                // Its first polls read what the simulator did before: from then on it watches every function.
                started =
                        Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30));
                Thread.sleep(6_000);
                sim.engine().stopArrivals();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                TestExporter.awaitAllFinalStatuses(sim);
                lookups = app.stats().lookups.get();
                huaweiWithoutBeginTime = sim.api(SimulatedFunctionGraph.class).requestsWithoutBeginTime();
                tencentRateLimited = sim.api(SimulatedScf.class).rateLimited();
            }
            GroundTruth truth = GroundTruth.read(sim.transitions());
            PublishedEvents published = PublishedEvents.readAfterStop(TestExporter.eventsDir(sim));

            assertThat(truth.statusesByTask()).hasSizeGreaterThan(150);
            // FC 3.0 functions, FC 2.0 functions listed (FC signature) and discovered (ACS3): all in the truth.
            assertThat(published.events())
                    .extracting(e -> e.json().at("/data/task/provider").asText() + " "
                            + e.json().at("/source").asText())
                    .anyMatch(s -> s.startsWith("alibaba-fc3 "))
                    .anyMatch(s -> s.equals("alibaba-fc2 /alibaba-fc2/1234567890123456/cn-hangzhou/billing/invoice"))
                    .anyMatch(s -> s.equals("alibaba-fc2 /alibaba-fc2/1234567890123456/cn-hangzhou/media/transcode"))
                    .anyMatch(s -> s.startsWith("huawei-functiongraph /huawei-functiongraph/"))
                    .anyMatch(s -> s.equals("tencent-scf /tencent-scf/1250000000/ap-guangzhou/jobs/etl"));
            assertThat(tencentRateLimited)
                    .as("the client-side limiter keeps SCF under its 20 requests per second")
                    .isZero();
            // Huawei tasks started two hours ago finish during the test: beyond the API's one-hour default window.
            Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
            assertThat(published.events())
                    .filteredOn(e -> e.json().at("/data/task/provider").asText().equals("huawei-functiongraph"))
                    .filteredOn(e -> Instant.parse(
                                    e.json().at("/data/task/startedAt").asText())
                            .isBefore(hourAgo))
                    .extracting(PublishedEvents.Event::providerStatus)
                    .contains("SUCCESS");
            assertThat(huaweiWithoutBeginTime)
                    .as("every FunctionGraph request carried query_begin_time")
                    .isZero();
            TruthCheck.polledEvery(Duration.ofMillis(300))
                    .except(ScfProvider.ID, TestExporter.SCF_INTERVAL)
                    .runningFrom(started)
                    .check(truth, published);
            Checks.noDuplicateIds(published);
            // Payload privacy: no source enables include-payload, so no task input or result is written.
            assertThat(published.events())
                    .noneMatch(e -> e.json().at("/data/task").has("payload")
                            || e.json().at("/data/task").has("result")
                            || e.line().contains("{\\\"order\\\":"));
            // Long tasks outlived the re-scan window, so the id look-up path really ran.
            assertThat(lookups).isPositive();
        }
    }
}
