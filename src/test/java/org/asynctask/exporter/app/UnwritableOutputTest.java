package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output directory goes away while the exporter writes (moved, and a plain file put in its place:
 * unwritable even for root, unlike a chmod): progress stops, checkpoints stay, readiness says which
 * output fails and why, and once the directory is back the exporter catches up by itself and is ready
 * again, losing nothing.
 */
class UnwritableOutputTest {
    @TempDir
    Path dir;

    @Test
    void anUnwritableEventDirectoryStopsProgressIsReportedAndRecoversByItself() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, FaultInjectionTest.QUICK, Clock.systemUTC())) {
            ExporterConfig config = TestExporter.config(sim, EndToEndTest.FAST_POLLING, Map.of("exporter.retry.max-backoff", "2s"));
            Path events = TestExporter.eventsDir(sim);
            Path moved = events.resolveSibling("events.moved");
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                await().atMost(Duration.ofSeconds(20)).until(() -> PublishedEvents.read(events).events().size() > 50);
                Readiness.awaitReady(app.metricsPort(), 200, Duration.ofSeconds(10));

                Files.move(events, moved);
                Files.writeString(events, "not a directory");
                long failedBefore = app.stats().failedPolls.get();
                Thread.sleep(1_000);
                Map<String, String> frozen = checkpointFiles(config.checkpointDir());
                Readiness.Answer down = Readiness.awaitReady(app.metricsPort(), 503, Duration.ofSeconds(10));
                assertThat(down.body()).contains("\"name\":\"sink\"").contains("file sink (" + events + ")").contains("Not a directory")
                        .doesNotContain("\"name\":\"checkpoint-store\",\"status\":\"DOWN\"");
                Readiness.Status status = Readiness.status(app.metricsPort());
                assertThat(status.exitCode()).as(status.output()).isEqualTo(3);
                assertThat(status.output()).containsPattern("(?m)^sink file sink \\(.*\\): DOWN since .* — .*Not a directory")
                        .containsPattern("(?m)^checkpoint-store file checkpoint store \\(.*\\): UP$");
                Thread.sleep(2_000);
                assertThat(app.stats().failedPolls.get()).as("polls fail while the output is unwritable").isGreaterThan(failedBefore);
                assertThat(checkpointFiles(config.checkpointDir())).as("no checkpoint moves while nothing can be delivered").isEqualTo(frozen);

                Files.delete(events);
                Files.move(moved, events);
                Readiness.awaitReady(app.metricsPort(), 200, Duration.ofSeconds(15));
                assertThat(Readiness.status(app.metricsPort()).exitCode()).isZero();
                sim.engine().stopArrivals();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                EndToEndTest.awaitAllFinalStatuses(sim, Duration.ofSeconds(45));
            }
            // PublishedEvents skips an unfinished last line (a file being written); after the stop there is none.
            try (var files = Files.walk(events)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                    String text = Files.readString(f);
                    assertThat(text.isEmpty() || text.endsWith("\n")).as(f + " ends with a whole line").isTrue();
                }
            }
            PublishedEvents published = PublishedEvents.read(events);
            Checks.everyFinalStatusPublished(GroundTruth.read(sim.transitions()), published);
            Checks.noDuplicateIds(published);
            Checks.previousStatusChains(published);
        }
    }

    @Test
    void anUnwritableCheckpointDirectoryIsReportedAndRecoversByItself() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, FaultInjectionTest.QUICK, Clock.systemUTC())) {
            ExporterConfig config = TestExporter.config(sim, EndToEndTest.FAST_POLLING, Map.of("exporter.retry.max-backoff", "2s"));
            Path checkpoints = config.checkpointDir();
            Path moved = checkpoints.resolveSibling("checkpoints.moved");
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                await().atMost(Duration.ofSeconds(20)).until(() -> PublishedEvents.read(TestExporter.eventsDir(sim)).events().size() > 50);

                Files.move(checkpoints, moved);
                Files.writeString(checkpoints, "not a directory");
                Readiness.Answer down = Readiness.awaitReady(app.metricsPort(), 503, Duration.ofSeconds(10));
                assertThat(down.body()).contains("\"name\":\"checkpoint-store\"").contains("file checkpoint store (" + checkpoints + ")")
                        .contains("Not a directory");
                assertThat(Readiness.status(app.metricsPort()).output())
                        .containsPattern("(?m)^checkpoint-store file checkpoint store \\(.*\\): DOWN since .* — .*Not a directory");

                Files.delete(checkpoints);
                Files.move(moved, checkpoints);
                Readiness.awaitReady(app.metricsPort(), 200, Duration.ofSeconds(15));
                sim.engine().stopArrivals();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                EndToEndTest.awaitAllFinalStatuses(sim, Duration.ofSeconds(45));
            }
            // Events delivered while their checkpoint could not be saved come again, the same.
            PublishedEvents published = PublishedEvents.read(TestExporter.eventsDir(sim));
            GroundTruth truth = GroundTruth.read(sim.transitions());
            Checks.repeatsAreIdentical(published);
            Checks.everyFinalStatusPublished(truth, published.firstOfEachId());
            Checks.publishedStatusesAreSubsequenceOfTruth(truth, published.firstOfEachId());
        }
    }

    /** Every checkpoint file and its content, as saved now. */
    private static Map<String, String> checkpointFiles(Path checkpointDir) throws java.io.IOException {
        Map<String, String> m = new java.util.TreeMap<>();
        try (var files = Files.walk(checkpointDir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(".lock")).toList()) {
                m.put(checkpointDir.relativize(f).toString(), Files.readString(f));
            }
        }
        return m;
    }
}
