package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog that takes many small pages to read: the exporter must stay under SCF's 20 requests per
 * second (the simulator refuses the 21st with RequestLimitExceeded) and still finish.
 */
class RateLimitTest {
    @TempDir
    Path dir;

    @Test
    void staysUnderTheProvidersLimitAndStillCompletesItsScan() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, new SimProfile(21, 40, Duration.ofMillis(300), Duration.ofSeconds(2), 0.05),
                Clock.systemUTC())) {
            Thread.sleep(3_000);
            sim.engine().stopArrivals();
            ExporterConfig config = TestExporter.config(sim, Map.of("interval", "300ms", "page-size", "3", "safety-lag", "300ms",
                    "rescan-window", "1s", "old-task-check-interval", "3s", "initial-lookback", "3h", "max-pages-per-poll", "1000"));
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                EndToEndTest.awaitAllFinalStatuses(sim, Duration.ofSeconds(90));
            }
            assertThat(sim.tencentRateLimited()).as("requests refused for going over 20 per second").isZero();
            assertThat(sim.tencentBusiestSecond()).as("the limit was reached, not merely respected").isBetween(15, 20);
            GroundTruth truth = GroundTruth.read(sim.transitions());
            PublishedEvents published = PublishedEvents.read(TestExporter.eventsDir(sim));
            Checks.everyFinalStatusPublished(truth, published);
            Checks.noDuplicateIds(published);
        }
    }
}
