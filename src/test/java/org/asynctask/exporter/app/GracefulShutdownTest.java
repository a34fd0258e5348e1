package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.ExporterProcess;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.SlowCheckpointExporter;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of busy polling, with a pause before each checkpoint save so that the signal
 * often lands between delivery and checkpoint: the stop saves what was delivered, so the restarts
 * publish nothing twice.
 */
class GracefulShutdownTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void sigtermSavesWhatWasDeliveredSoNothingIsPublishedTwice() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, EndToEndTest.BUSY, Clock.systemUTC())) {
            Map<String, String> polling = new java.util.HashMap<>(EndToEndTest.FAST_POLLING);
            polling.put("page-size", "5");
            Map<String, String> config = TestExporter.raw(sim, polling, Map.of());
            for (int stop = 1; stop <= 2; stop++) {
                try (ExporterProcess run = ExporterProcess.start(dir, config, 200, 1, SlowCheckpointExporter.Window.BEFORE_SAVE)) {
                    // Stopped while busy polling: 3 s after Camel started (its boot takes 3-6 s on a loaded machine).
                    int started = stop;
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                            ExporterProcess.log(dir).split("\\(async-task-exporter\\) started in", -1).length > started);
                    Thread.sleep(3_000);
                    long start = System.nanoTime();
                    int exit = run.stop();
                    System.out.printf("SIGTERM %d: stopped in %d ms, exit %d%n", stop, (System.nanoTime() - start) / 1_000_000, exit);
                    // 143 = 128 + SIGTERM: how the JVM reports a stop by signal, after its shutdown hooks ran.
                    assertThat(exit).isIn(0, 143);
                }
                assertThat(ExporterProcess.log(dir).split("stopped cleanly", -1)).as("a clean stop is logged").hasSize(stop + 1);
            }
            sim.engine().stopArrivals();
            await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
            try (ExporterProcess run = ExporterProcess.start(dir, config)) {
                // The catch-up's time counts from Camel's start, not the JVM's (its boot alone took 14 s under load).
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                        ExporterProcess.log(dir).split("\\(async-task-exporter\\) started in", -1).length > 3);
                EndToEndTest.awaitAllFinalStatuses(sim, Duration.ofSeconds(90));
                run.stop();
            }
            PublishedEvents published = PublishedEvents.read(TestExporter.eventsDir(sim));
            Checks.noDuplicateIds(published);
            Checks.everyFinalStatusPublished(GroundTruth.read(sim.transitions()), published);
            Checks.previousStatusChains(published);
        }
    }
}
