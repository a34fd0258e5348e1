package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.Outage;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TruthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output directory goes away while the exporter writes (moved, and a plain file put in its place:
 * unwritable even for root, unlike a chmod): progress stops, checkpoints stay, readiness says which
 * output fails and why, and once the directory is back the exporter catches up by itself and is ready
 * again, losing nothing.
 */
class UnwritableOutputIT {
    @TempDir
    Path dir;

    @Test
    void aCheckpointDirectoryThatCannotBeMadeIsNamedWithItsKeyAndReason() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            Path file = Files.writeString(dir.resolve("a-file"), "not a directory\n");
            ExporterConfig config = TestExporter.config(
                    sim,
                    TestExporter.FAST_POLLING,
                    Map.of(
                            "exporter.checkpoint.dir",
                            file.resolve("checkpoints").toString()));
            assertThatThrownBy(() -> new ExporterApp(config, Clock.systemUTC()).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("exporter.checkpoint.dir: cannot create or open checkpoint directory "
                            + file.resolve("checkpoints"))
                    .hasMessageContaining("Not a directory");
        }
    }

    @Test
    void anUnwritableEventDirectoryStopsProgressIsReportedAndRecoversByItself() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, FaultInjectionIT.QUICK, Clock.systemUTC())) {
            ExporterConfig config = TestExporter.config(
                    sim,
                    TestExporter.FAST_POLLING,
                    TestExporter.scfWithinItsRateLimit(Map.of("exporter.retry.max-backoff", "2s")));
            Path events = TestExporter.eventsDir(sim);
            List<TruthCheck.Window> writable = new ArrayList<>();
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                long started =
                        Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> PublishedEvents.read(events).events().size() > 50);
                Readiness.awaitReady(app.metricsPort(), 200, Duration.ofSeconds(10));

                Outage outage = Outage.of(events);
                writable.add(new TruthCheck.Window(started, outage.startedMs));
                outage.assertCheckpointsHold(app, config);
                Readiness.Answer down = Readiness.awaitReady(app.metricsPort(), 503, Duration.ofSeconds(10));
                assertThat(down.body())
                        .contains("\"name\":\"sink\"")
                        .contains("file sink (" + events + ")")
                        .contains("Not a directory")
                        .doesNotContain("\"name\":\"checkpoint-store\",\"status\":\"DOWN\"");
                Readiness.Status status = Readiness.status(app.metricsPort());
                assertThat(status.exitCode()).as(status.output()).isEqualTo(3);
                assertThat(status.output())
                        .containsPattern("(?m)^sink file sink \\(.*\\): DOWN since .* — .*Not a directory")
                        .containsPattern("(?m)^checkpoint-store file checkpoint store \\(.*\\): UP$");
                writable.add(new TruthCheck.Window(outage.end(app, sim, events), Long.MAX_VALUE));
                assertThat(Readiness.status(app.metricsPort()).exitCode()).isZero();
            }
            // After the stop, a line written in part fails the read: a failed write was cut back.
            PublishedEvents published = PublishedEvents.readAfterStop(events);
            // While the output failed, and until the exporter caught up after, a status may be missed; never outside.
            TruthCheck.polledEvery(Duration.ofMillis(300))
                    .except(ScfProvider.ID, TestExporter.SCF_INTERVAL)
                    .runningIn(writable)
                    .check(GroundTruth.read(sim.transitions()), published);
            Checks.noDuplicateIds(published);
        }
    }

    @Test
    void anUnwritableCheckpointDirectoryIsReportedAndRecoversByItself() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, FaultInjectionIT.QUICK, Clock.systemUTC())) {
            ExporterConfig config = TestExporter.config(
                    sim,
                    TestExporter.FAST_POLLING,
                    TestExporter.scfWithinItsRateLimit(Map.of("exporter.retry.max-backoff", "2s")));
            Path checkpoints = config.checkpointDir();
            List<TruthCheck.Window> writable = new ArrayList<>();
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                long started =
                        Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> PublishedEvents.read(TestExporter.eventsDir(sim))
                                        .events()
                                        .size()
                                > 50);

                Outage outage = Outage.of(checkpoints);
                writable.add(new TruthCheck.Window(started, outage.startedMs));
                Readiness.Answer down = Readiness.awaitReady(app.metricsPort(), 503, Duration.ofSeconds(10));
                assertThat(down.body())
                        .contains("\"name\":\"checkpoint-store\"")
                        .contains("file checkpoint store (" + checkpoints + ")")
                        .contains("Not a directory");
                assertThat(Readiness.status(app.metricsPort()).output())
                        .containsPattern(
                                "(?m)^checkpoint-store file checkpoint store \\(.*\\): DOWN since .* — .*Not a directory");

                writable.add(new TruthCheck.Window(outage.end(app, sim, TestExporter.eventsDir(sim)), Long.MAX_VALUE));
            }
            // Events delivered while their checkpoint could not be saved come again, the same.
            PublishedEvents published = PublishedEvents.readAfterStop(TestExporter.eventsDir(sim));
            Checks.repeatsAreIdentical(published);
            TruthCheck.polledEvery(Duration.ofMillis(300))
                    .except(ScfProvider.ID, TestExporter.SCF_INTERVAL)
                    .runningIn(writable)
                    .check(GroundTruth.read(sim.transitions()), published);
        }
    }
}
