package org.asynctask.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.CpuHeavy;
import org.asynctask.exporter.testing.EmbeddedKafka;
import org.asynctask.exporter.testing.ExporterProcess;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.KafkaOutputs;
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
@CpuHeavy
class KafkaKillIT {
    /** Two on each side of the save. */
    private static final int KILLS = 4;

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
        Map<String, String> global = KafkaOutputs.of(kafka, topic);
        global.put("exporter.delivery", "exactly-once");
        // Each restart waits for the killed run's membership of the checkpoint lease to time out: the shortest
        // session the broker allows (6 s), as a user restarting a lone exporter at once would set it.
        global.put("exporter.group.session-timeout", "6s");
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

    /** On failure: the transactions the broker knows and the producers with a transaction open on the events topic. */
    private void printTransactions(Admin admin) throws Exception {
        List<TopicPartition> partitions = partitions(admin);
        System.out.println(
                "open transactions: " + admin.listTransactions().all().get());
        admin.describeProducers(partitions)
                .all()
                .get()
                .forEach((p, d) -> System.out.println("producers on " + p + ": " + d.activeProducers()));
        System.out.println("end offsets " + offsets(admin, partitions, IsolationLevel.READ_UNCOMMITTED)
                + ", last stable offsets " + offsets(admin, partitions, IsolationLevel.READ_COMMITTED));
    }

    /** Records of an open transaction on the events topic: its end offsets past its last stable offsets. */
    private long uncommittedRecords(Admin admin) throws Exception {
        List<TopicPartition> partitions = partitions(admin);
        // End offsets first: a commit in between can only make the difference smaller.
        long end = sum(offsets(admin, partitions, IsolationLevel.READ_UNCOMMITTED));
        return end - sum(offsets(admin, partitions, IsolationLevel.READ_COMMITTED));
    }

    private List<TopicPartition> partitions(Admin admin) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    /** Per partition, the end offset ({@code READ_UNCOMMITTED}) or the last stable offset ({@code READ_COMMITTED}). */
    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, IsolationLevel level)
            throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        Map<TopicPartition, Long> offsets = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
        admin.listOffsets(latest, new ListOffsetsOptions(level))
                .all()
                .get()
                .forEach((p, info) -> offsets.put(p, info.offset()));
        return offsets;
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Kills and restarts the exporter, then lets it finish; checks every record against the ground truth and
     * returns them, in order per task.
     */
    private PublishedEvents runWithKills(Map<String, String> global, boolean readCommitted) throws Exception {
        List<TruthCheck.Window> running = new ArrayList<>();
        try (SimulatorServer sim = SimulatorServer.start(0, dir, KafkaEndToEndIT.BUSY, Clock.systemUTC());
                TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic, readCommitted);
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
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
                        // Still in the pause: exactly-once, before the save, kill once the open transaction's records
                        // are on the topic (its end offset past its last stable offset), so that the kill leaves
                        // aborted records there. On a loaded machine they may come later than the pause allows:
                        // then wait for another pause. What a consumer has read so far cannot tell: it may lag.
                        boolean openRecords = false;
                        long deadline = System.nanoTime()
                                + Duration.ofMillis(PAUSE_MS * 2 / 3).toNanos();
                        while (readCommitted && !openRecords && System.nanoTime() < deadline) {
                            openRecords = uncommittedRecords(admin) > 0;
                        }
                        killNow = !readCommitted
                                || window == SlowCheckpointExporter.Window.AFTER_SAVE
                                || openRecords
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
                    printTransactions(admin);
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
