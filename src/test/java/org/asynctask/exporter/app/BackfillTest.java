package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.UUID;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.checkpoint.FileCheckpointStore;
import org.asynctask.exporter.cli.Cli;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.kafka.KafkaCheckpointStore;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.EmbeddedKafka;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backfill} replays a window into an empty sink with the live run's event ids, apart from the live checkpoints. */
class BackfillTest {
    @TempDir
    Path dir;

    @Test
    void fileCheckpoints() throws Exception {
        backfillAWindowOfALiveRun(Map.of());
    }

    @Test
    void kafkaCheckpoints() throws Exception {
        backfillAWindowOfALiveRun(Map.of("exporter.checkpoint.store", "kafka",
                "exporter.kafka.bootstrap-servers", EmbeddedKafka.shared().bootstrapServers(),
                "exporter.checkpoint.topic", "checkpoints-" + UUID.randomUUID()));
    }

    /** A live run, then a backfill of a window of it into an empty directory, twice. */
    private void backfillAWindowOfALiveRun(Map<String, String> store) throws Exception {
        Instant simStart = Instant.now();
        try (SimulatorServer sim = SimulatorServer.start(0, dir, EndToEndTest.BUSY, Clock.systemUTC())) {
            Path liveEvents = TestExporter.eventsDir(sim);
            ExporterConfig liveConfig = TestExporter.config(sim, EndToEndTest.FAST_POLLING, store);
            try (ExporterApp app = new ExporterApp(liveConfig, Clock.systemUTC())) {
                app.start();
                Thread.sleep(6_000);
                EndToEndTest.stopArrivalsAndAwaitFinalStatuses(sim);
            }
            Map<PartitionKey, Checkpoint> liveCheckpoints = liveCheckpoints(liveConfig);
            assertThat(liveCheckpoints).isNotEmpty();
            Instant from = simStart.plusMillis(1_500);
            Instant to = simStart.plusMillis(4_500);

            Path backfillEvents = dir.resolve("backfill-events");
            Map<String, String> backfillSettings = new HashMap<>(store);
            backfillSettings.put("exporter.output.dir", backfillEvents.toString());
            Path config = TestExporter.write(TestExporter.raw(sim, EndToEndTest.FAST_POLLING, backfillSettings),
                    dir.resolve("backfill.properties"));
            String[] args = {"backfill", "--source", "fc3-demo", "--from", from.toString(), "--to", to.toString(),
                    "--config", config.toString(), "--timeout", "60s"};
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err)).as(out.toString()).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("backfill done");

            // Every event the live run published for the source's tasks that started in the window (FC 3.0: each
            // transition of their history), byte for byte: consumers that drop repeated ids lose nothing.
            List<String> expected = PublishedEvents.read(liveEvents).events().stream()
                    .filter(e -> e.json().at("/data/task/source").asText().equals("fc3-demo"))
                    .filter(e -> inWindow(e.json().at("/data/task/startedAt").asText(), from, to))
                    .map(PublishedEvents.Event::line).sorted().toList();
            List<String> got = PublishedEvents.read(backfillEvents).events().stream().map(PublishedEvents.Event::line).sorted().toList();
            assertThat(expected).as("events of fc3-demo tasks started in the window").hasSizeGreaterThan(60);
            assertThat(got).isEqualTo(expected);
            assertThat(liveCheckpoints(liveConfig)).as("the live checkpoints are untouched").isEqualTo(liveCheckpoints);

            // Run again: it resumes from its own checkpoints, done, and publishes nothing at all.
            List<String> afterFirst = PublishedEvents.read(backfillEvents).events().stream().map(PublishedEvents.Event::line).toList();
            out.reset();
            assertThat(Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err)).as(out.toString()).isZero();
            assertThat(PublishedEvents.read(backfillEvents).events().stream().map(PublishedEvents.Event::line).toList())
                    .as("a second run of a finished backfill adds nothing").isEqualTo(afterFirst);
        }
    }

    private static boolean inWindow(String startedAt, Instant from, Instant to) {
        Instant t = Instant.parse(startedAt);
        return !t.isBefore(from) && t.isBefore(to);
    }

    private static Map<PartitionKey, Checkpoint> liveCheckpoints(ExporterConfig config) {
        try (CheckpointStore live = config.checkpointStore().equals("kafka") ? new KafkaCheckpointStore(config.kafka(), null, false)
                : FileCheckpointStore.readOnly(config.checkpointDir())) {
            return live.loadAll();
        }
    }
}
