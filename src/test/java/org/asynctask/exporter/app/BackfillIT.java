package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.checkpoint.FileCheckpointStore;
import org.asynctask.exporter.cli.Cli;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.config.StoreKind;
import org.asynctask.exporter.kafka.KafkaCheckpointStore;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.EmbeddedKafka;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backfill} replays a window into an empty sink with the live run's event ids, apart from the live checkpoints. */
class BackfillIT {
    @TempDir
    Path dir;

    @Test
    void fileCheckpointsAllFourProviders() throws Exception {
        backfillAWindowOfALiveRun(Map.of(), List.of("fc3-demo", "fc2-billing", "huawei-demo", "tencent-demo"));
    }

    @Test
    void kafkaCheckpoints() throws Exception {
        backfillAWindowOfALiveRun(
                Map.of(
                        "exporter.checkpoint.store",
                        "kafka",
                        "exporter.kafka.bootstrap-servers",
                        EmbeddedKafka.shared().bootstrapServers(),
                        "exporter.checkpoint.topic",
                        "checkpoints-" + UUID.randomUUID()),
                List.of("fc3-demo"));
    }

    /** A live run, then a backfill of a window of it, source by source, into an empty directory, twice. */
    private void backfillAWindowOfALiveRun(Map<String, String> store, List<String> sources) throws Exception {
        Instant simStart = Instant.now();
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            Path liveEvents = TestExporter.eventsDir(sim);
            ExporterConfig liveConfig = TestExporter.config(sim, TestExporter.FAST_POLLING, store);
            try (ExporterApp app = new ExporterApp(liveConfig, Clock.systemUTC())) {
                app.start();
                Thread.sleep(6_000);
                TestExporter.stopArrivalsAndAwaitFinalStatuses(sim);
            }
            Map<PartitionKey, Checkpoint> liveCheckpoints = liveCheckpoints(liveConfig);
            assertThat(liveCheckpoints).isNotEmpty();
            // Whole seconds: FunctionGraph's start times have no more (a task it shows as started at 12:00:05
            // may have started at 12:00:05.6, so a backfill from 12:00:05.4 includes it).
            Instant from = simStart.plusMillis(1_500).truncatedTo(ChronoUnit.SECONDS);
            Instant to = simStart.plusMillis(4_500).truncatedTo(ChronoUnit.SECONDS);

            Path backfillEvents = dir.resolve("backfill-events");
            Map<String, String> backfillSettings = new HashMap<>(store);
            backfillSettings.put("exporter.output.dir", backfillEvents.toString());
            Path config = TestExporter.write(
                    TestExporter.raw(sim, TestExporter.FAST_POLLING, backfillSettings),
                    dir.resolve("backfill.properties"));
            backfill(sources, config, from, to);

            // The live run's events of the tasks that started in the window; a backfill repeats them byte for
            // byte under the same ids, so consumers that drop repeated ids lose nothing and see nothing new.
            Map<String, String> live = new HashMap<>();
            PublishedEvents.readAfterStop(liveEvents).events().stream()
                    .filter(e ->
                            sources.contains(e.json().at("/data/task/source").asText()))
                    .filter(e -> inWindow(e.json().at("/data/task/startedAt").asText(), from, to))
                    .forEach(e -> live.put(e.id(), e.line()));
            List<PublishedEvents.Event> got =
                    PublishedEvents.readAfterStop(backfillEvents).events();
            assertThat(got).as("backfilled events").hasSizeGreaterThan(60 * sources.size());
            for (String source : sources) {
                List<PublishedEvents.Event> fromSource = got.stream()
                        .filter(e -> e.json().at("/data/task/source").asText().equals(source))
                        .toList();
                assertThat(fromSource)
                        .as(source + ": events of the tasks started in the window")
                        .hasSizeGreaterThan(20);
                assertThat(fromSource.stream()
                                .filter(e -> !e.line().equals(live.get(e.id())))
                                .map(e -> e.line() + "\n  live: " + live.get(e.id())))
                        .as(source + ": backfilled events the live run did not publish, byte for byte")
                        .isEmpty();
            }
            // FC histories come whole: the backfill publishes every transition the live run did. The others'
            // histories are what a poll sees; a backfill after the fact sees at least each task's final status.
            List<String> backfilled =
                    got.stream().map(PublishedEvents.Event::line).sorted().toList();
            assertThat(backfilled).as("each line once").doesNotHaveDuplicates();
            assertThat(backfilled)
                    .containsAll(live.values().stream()
                            .filter(line -> line.contains("\"provider\":\"alibaba-"))
                            .toList());
            assertThat(backfilled)
                    .containsAll(live.values().stream()
                            .filter(line -> line.contains("\"terminal\":true"))
                            .toList());
            assertThat(liveCheckpoints(liveConfig))
                    .as("the live checkpoints are untouched")
                    .isEqualTo(liveCheckpoints);

            // Run again: it resumes from its own checkpoints, done, and publishes nothing at all.
            List<String> afterFirst = PublishedEvents.readAfterStop(backfillEvents).events().stream()
                    .map(PublishedEvents.Event::line)
                    .toList();
            backfill(sources, config, from, to);
            assertThat(PublishedEvents.readAfterStop(backfillEvents).events().stream()
                            .map(PublishedEvents.Event::line)
                            .toList())
                    .as("a second run of a finished backfill adds nothing")
                    .isEqualTo(afterFirst);
        }
    }

    private static void backfill(List<String> sources, Path config, Instant from, Instant to) {
        for (String source : sources) {
            String[] args = {
                "backfill",
                "--source",
                source,
                "--from",
                from.toString(),
                "--to",
                to.toString(),
                "--config",
                config.toString(),
                "--timeout",
                "60s"
            };
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err))
                    .as(out.toString())
                    .isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("backfill done");
        }
    }

    private static boolean inWindow(String startedAt, Instant from, Instant to) {
        Instant t = Instant.parse(startedAt);
        return !t.isBefore(from) && t.isBefore(to);
    }

    private static Map<PartitionKey, Checkpoint> liveCheckpoints(ExporterConfig config) {
        try (CheckpointStore live = config.checkpointStore() == StoreKind.KAFKA
                ? new KafkaCheckpointStore(config.kafka(), null, false)
                : FileCheckpointStore.readOnly(config.checkpointDir())) {
            return live.loadAll();
        }
    }
}
