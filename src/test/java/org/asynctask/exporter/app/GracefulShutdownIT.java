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
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.ExporterProcess;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.SlowCheckpointExporter;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TruthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of busy polling, with a pause before every other checkpoint save so that the signal
 * often lands between delivery and checkpoint: the stop saves what was delivered, so the restarts
 * publish nothing twice.
 */
class GracefulShutdownIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void sigtermSavesWhatWasDeliveredSoNothingIsPublishedTwice() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            Map<String, String> config = new HashMap<>(
                    TestExporter.raw(sim, TestExporter.FAST_POLLING, TestExporter.scfWithinItsRateLimit(Map.of())));
            List<TruthCheck.Window> running = new ArrayList<>();
            for (int stop = 1; stop <= 2; stop++) {
                int port = Readiness.freePort();
                config.put("exporter.metrics.port", Integer.toString(port));
                long started = System.currentTimeMillis();
                try (ExporterProcess run =
                        ExporterProcess.start(dir, config, 200, 2, SlowCheckpointExporter.Window.BEFORE_SAVE)) {
                    // Stopped while busy polling, once it watches every function (its boot takes 3-6 s on a loaded
                    // machine).
                    long up = run.awaitCaughtUp(port, started, Duration.ofSeconds(60));
                    Thread.sleep(3_000);
                    running.add(new TruthCheck.Window(up, System.currentTimeMillis()));
                    long start = System.nanoTime();
                    int exit = run.stop();
                    System.out.printf(
                            "SIGTERM %d: stopped in %d ms, exit %d%n",
                            stop, (System.nanoTime() - start) / 1_000_000, exit);
                    // 143 = 128 + SIGTERM: how the JVM reports a stop by signal, after its shutdown hooks ran.
                    assertThat(exit).isIn(0, 143);
                }
                assertThat(ExporterProcess.log(dir).split("stopped cleanly", -1))
                        .as("a clean stop is logged")
                        .hasSize(stop + 1);
            }
            sim.engine().stopArrivals();
            await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
            int port = Readiness.freePort();
            config.put("exporter.metrics.port", Integer.toString(port));
            long started = System.currentTimeMillis();
            try (ExporterProcess run = ExporterProcess.start(dir, config)) {
                running.add(new TruthCheck.Window(
                        run.awaitCaughtUp(port, started, Duration.ofSeconds(60)), Long.MAX_VALUE));
                TestExporter.awaitAllFinalStatuses(sim, Duration.ofSeconds(90));
                run.stop();
            }
            PublishedEvents published = PublishedEvents.readAfterStop(TestExporter.eventsDir(sim));
            Checks.noDuplicateIds(published);
            // Every other save waits 200 ms, holding its poll thread: polls end and start late.
            TruthCheck.polledEvery(Duration.ofSeconds(1))
                    .except(ScfProvider.ID, Duration.ofMillis(1500))
                    .runningIn(running)
                    .check(GroundTruth.read(sim.transitions()), published);
        }
    }
}
