package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.asynctask.exporter.cli.Cli;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backfill} replays a window into an empty sink with the live run's event ids, apart from the live checkpoints. */
class BackfillTest {
    @TempDir
    Path dir;

    @Test
    void aBackfilledWindowHasTheLiveRunsEventsAndLeavesTheLiveCheckpointsAlone() throws Exception {
        Instant simStart = Instant.now();
        try (SimulatorServer sim = SimulatorServer.start(0, dir, EndToEndTest.BUSY, Clock.systemUTC())) {
            Path liveEvents = TestExporter.eventsDir(sim);
            try (ExporterApp app = new ExporterApp(TestExporter.config(sim, EndToEndTest.FAST_POLLING), Clock.systemUTC())) {
                app.start();
                Thread.sleep(6_000);
                sim.engine().stopArrivals();
                await().atMost(Duration.ofSeconds(60)).until(sim.engine()::quiet);
                EndToEndTest.awaitAllFinalStatuses(sim, Duration.ofSeconds(60));
            }
            Path checkpoints = liveEvents.resolveSibling("checkpoints");
            Map<String, String> liveCheckpoints = contents(checkpoints);
            Instant from = simStart.plusMillis(1_500);
            Instant to = simStart.plusMillis(4_500);

            Path backfillEvents = dir.resolve("backfill-events");
            Path config = TestExporter.write(TestExporter.raw(sim, EndToEndTest.FAST_POLLING,
                    Map.of("exporter.output.dir", backfillEvents.toString())), dir.resolve("backfill.properties"));
            String[] args = {"backfill", "--source", "fc3-demo", "--from", from.toString(), "--to", to.toString(),
                    "--config", config.toString(), "--timeout", "60s"};
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err)).as(out.toString()).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("backfill done");

            // The live run's final events of the source's tasks that started in the window: the same ids.
            Set<String> expected = PublishedEvents.read(liveEvents).events().stream()
                    .filter(e -> e.json().at("/data/task/source").asText().equals("fc3-demo"))
                    .filter(e -> e.json().at("/data/task/terminal").asBoolean())
                    .filter(e -> inWindow(e.json().at("/data/task/startedAt").asText(), from, to))
                    .map(e -> e.id() + " " + e.json().at("/data/task/taskId").asText() + " " + e.json().at("/data/status").asText())
                    .collect(Collectors.toSet());
            PublishedEvents backfilled = PublishedEvents.read(backfillEvents);
            Set<String> got = backfilled.events().stream()
                    .map(e -> e.id() + " " + e.json().at("/data/task/taskId").asText() + " " + e.json().at("/data/status").asText())
                    .collect(Collectors.toSet());
            assertThat(expected).as("tasks of fc3-demo started in the window").hasSizeGreaterThan(20);
            assertThat(got).isEqualTo(expected);
            assertThat(contents(checkpoints)).as("the live checkpoints are untouched").isEqualTo(liveCheckpoints);
            assertThat(checkpoints.resolve("backfill")).as("its own checkpoints").isDirectory();

            // Run again: it resumes from its own checkpoints; nothing new, and no id it did not have.
            out.reset();
            assertThat(Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err)).as(out.toString()).isZero();
            assertThat(PublishedEvents.read(backfillEvents).events().stream()
                    .map(e -> e.id() + " " + e.json().at("/data/task/taskId").asText() + " " + e.json().at("/data/status").asText())
                    .collect(Collectors.toSet())).isEqualTo(expected);
        }
    }

    private static boolean inWindow(String startedAt, Instant from, Instant to) {
        Instant t = Instant.parse(startedAt);
        return !t.isBefore(from) && t.isBefore(to);
    }

    /** File name → content of the checkpoint files directly in the directory. */
    private static Map<String, String> contents(Path checkpoints) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(checkpoints)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                out.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return out;
    }
}
