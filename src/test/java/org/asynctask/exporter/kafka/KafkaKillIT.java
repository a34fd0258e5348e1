package org.asynctask.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.EmbeddedKafka;
import org.asynctask.exporter.testing.ExporterProcess;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.SlowCheckpointExporter;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TopicReader;
import org.asynctask.exporter.testing.TruthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter as a separate process, killed with SIGKILL and restarted {@value #KILLS} times while the
 * simulator keeps making tasks, then compared with the ground truth. Each run first catches up (every
 * partition has completed a poll since it started: from then on it watches them all), and is then
 * killed in a pause it announces at one of its checkpoint saves ({@link SlowCheckpointExporter}),
 * alternately on either side of the save: before it (events delivered, checkpoint not saved: the
 * moment the two delivery modes differ on) and after it (checkpoint saved: where an exporter that saved
 * before publishing would lose a batch). By design, not by the luck of a random moment.
 */
class KafkaKillIT {
    private static final int KILLS = 6;
    private static final long PAUSE_MS = 300;
    /** A pause at every few saves only: the exporter keeps its pace between them. */
    private static final int PAUSE_EVERY = 4;
    /**
     * The poll interval the ground truth is judged with: 300 ms configured, a second allowed for restarts
     * and the pauses; a status that lasted three of these while an exporter ran must be published.
     */
    private static final Duration JUDGED_INTERVAL = Duration.ofSeconds(1);
    /** SCF is polled every second (TestExporter.scfWithinItsRateLimit), late by the same pauses. */
    private static final Duration JUDGED_SCF_INTERVAL = Duration.ofMillis(1500);

    /** Kept when the test fails: the exporter's log tells what happened. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private final String topic = "events-" + UUID.randomUUID();

    @Test
    void exactlyOnceShowsEachTransitionOnceToReadCommittedConsumers() throws Exception {
        Map<String, String> global = Map.of(
                "exporter.sink",
                "kafka",
                "exporter.checkpoint.store",
                "kafka",
                "exporter.delivery",
                "exactly-once",
                "exporter.kafka.bootstrap-servers",
                kafka.bootstrapServers(),
                "exporter.kafka.topic",
                topic,
                "exporter.checkpoint.topic",
                "checkpoints-" + topic,
                "exporter.kafka.transactional-id",
                "tx-" + topic);
        PublishedEvents published = runWithKills(global, true);

        try (TopicReader everything = new TopicReader(kafka.bootstrapServers(), topic, false)) {
            assertThat(KafkaEndToEndIT.readAll(everything).size())
                    .as("kills hit open transactions: the topic holds aborted records a read_committed consumer skips")
                    .isGreaterThan(published.events().size());
        }
        Checks.noDuplicateIds(published);
    }

    @Test
    void atLeastOnceLosesNothingAndRepeatsOnlyIdenticalEvents() throws Exception {
        Map<String, String> global = Map.of(
                "exporter.sink",
                "kafka",
                "exporter.kafka.bootstrap-servers",
                kafka.bootstrapServers(),
                "exporter.kafka.topic",
                topic);
        PublishedEvents published = runWithKills(global, false);

        assertThat(Checks.repeatsAreIdentical(published))
                .as("kills between delivery and checkpoint make the next run repeat")
                .isPositive();
    }

    /**
     * Kills and restarts the exporter, then lets it finish; checks every record against the ground truth and
     * returns them, in order per task.
     */
    private PublishedEvents runWithKills(Map<String, String> global, boolean readCommitted) throws Exception {
        List<TruthCheck.Window> running = new ArrayList<>();
        try (SimulatorServer sim = SimulatorServer.start(0, dir, KafkaEndToEndIT.BUSY, Clock.systemUTC());
                TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic, readCommitted);
                TopicReader progress = new TopicReader(kafka.bootstrapServers(), topic, false)) {
            Map<String, String> config = new HashMap<>(TestExporter.raw(
                    sim, KafkaEndToEndIT.kafkaFastPolling(), TestExporter.scfWithinItsRateLimit(global)));
            for (int i = 0; i < KILLS; i++) {
                SlowCheckpointExporter.Window window = SlowCheckpointExporter.Window.values()[i % 2];
                int port = Readiness.freePort();
                config.put("exporter.metrics.port", Integer.toString(port));
                long started = System.currentTimeMillis();
                try (ExporterProcess exporter = ExporterProcess.start(dir, config, PAUSE_MS, PAUSE_EVERY, window)) {
                    long up = exporter.awaitCaughtUp(port, started, Duration.ofSeconds(40));
                    boolean killNow;
                    int pausesLetGo = 0;
                    do {
                        long pauses = SlowCheckpointExporter.pauses(dir);
                        exporter.awaitOrExplain(
                                Duration.ofSeconds(20), () -> SlowCheckpointExporter.pauses(dir) > pauses);
                        // Still in the pause: let the batch reach the topic first (exactly-once: the open transaction's
                        // records, sent once the broker added the partitions to it), then kill.
                        int seen = progress.read(Duration.ZERO).size();
                        long deadline = System.nanoTime()
                                + Duration.ofMillis(PAUSE_MS * 2 / 3).toNanos();
                        while (progress.read(Duration.ofMillis(5)).size() == seen && System.nanoTime() < deadline) {
                            // reading on
                        }
                        // Exactly-once, before the save: only a transaction whose records are on the topic leaves
                        // aborted records there (one transaction at a time, so what arrived in the pause is its).
                        // On a loaded machine they may come later than the pause allows: wait for another pause.
                        boolean arrived = progress.read(Duration.ZERO).size() > seen;
                        killNow = !readCommitted
                                || window == SlowCheckpointExporter.Window.AFTER_SAVE
                                || arrived
                                || ++pausesLetGo >= 10;
                    } while (!killNow);
                    exporter.kill();
                    running.add(new TruthCheck.Window(up, System.currentTimeMillis()));
                }
            }
            sim.engine().stopArrivals();
            // The last run is not killed: no need to slow it down.
            int port = Readiness.freePort();
            config.put("exporter.metrics.port", Integer.toString(port));
            long started = System.currentTimeMillis();
            try (ExporterProcess exporter = ExporterProcess.start(dir, config)) {
                long up = exporter.awaitCaughtUp(port, started, Duration.ofSeconds(40));
                running.add(new TruthCheck.Window(up, Long.MAX_VALUE));
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                try {
                    KafkaEndToEndIT.awaitAllFinalStatuses(sim, reader, Duration.ofSeconds(60));
                } catch (AssertionError | RuntimeException e) {
                    exporter.printDiagnostics();
                    throw e;
                }
                // A JVM ended by SIGTERM exits with 143 once its shutdown hooks (Camel's graceful stop) are done.
                assertThat(exporter.stop()).as(ExporterProcess.log(dir)).isIn(0, 143);
                assertThat(ExporterProcess.log(dir)).doesNotContain("ERROR");
            }
            List<ConsumerRecord<String, byte[]>> records = KafkaEndToEndIT.readAll(reader);
            PublishedEvents published = PublishedEvents.of(records.stream()
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .toList());
            for (int i = 0; i < records.size(); i++) {
                assertThat(records.get(i).key())
                        .as("record key")
                        .isEqualTo(
                                published.events().get(i).json().path("taskkey").asText());
                assertThat(records.get(i).headers())
                        .extracting(Header::key)
                        .as("no other header, in either delivery mode")
                        .containsExactly("content-type");
            }
            TruthCheck.polledEvery(JUDGED_INTERVAL)
                    .except(ScfProvider.ID, JUDGED_SCF_INTERVAL)
                    .runningIn(running)
                    .check(GroundTruth.read(sim.transitions()), published);
            return published;
        }
    }
}
