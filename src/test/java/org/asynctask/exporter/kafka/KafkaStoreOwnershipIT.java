package org.asynctask.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.EmbeddedKafka;
import org.asynctask.exporter.testing.ExporterProcess;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TopicReader;
import org.asynctask.exporter.testing.TruthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One owner per Kafka checkpoint store, as the file store has one per directory: a second {@code run}
 * on a held checkpoint topic is refused (exit 1, naming the holder) and the first one carries on
 * unfenced; once the holder was killed and Kafka dropped its membership, or once it stopped, a new
 * one starts and takes over, exactly-once, from where the first one was.
 */
class KafkaStoreOwnershipIT {
    @TempDir
    Path dir;

    private final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private final String topic = "events-" + UUID.randomUUID();

    @Test
    void aSecondRunOnAHeldStoreIsRefusedAndOneAfterTheHolderStartsAndTakesOver() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, KafkaEndToEndIT.BUSY, Clock.systemUTC());
                TopicReader progress = new TopicReader(kafka.bootstrapServers(), topic, false)) {
            // The same configuration for every instance, the default transactional id included.
            Path config = TestExporter.write(
                    TestExporter.raw(
                            sim,
                            KafkaEndToEndIT.kafkaFastPolling(),
                            TestExporter.scfWithinItsRateLimit(Map.of(
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
                                    "exporter.group.session-timeout",
                                    "6s"))),
                    dir.resolve("exporter.properties"));
            // When an owner watched every function: a status that lasted three judged intervals then is published.
            List<TruthCheck.Window> owned = new ArrayList<>();
            Path first = Files.createDirectories(dir.resolve("first"));
            int port = Readiness.freePort();
            long started = System.currentTimeMillis();
            ExporterProcess holder = ExporterProcess.run(first, config, port);
            long up = holder.awaitCaughtUp(port, started, Duration.ofSeconds(40));
            await().atMost(Duration.ofSeconds(40))
                    .until(() -> progress.read(Duration.ofMillis(100)).size() > 20);

            Path second = Files.createDirectories(dir.resolve("second"));
            try (ExporterProcess refused = ExporterProcess.run(second, config)) {
                Integer code = refused.awaitExit(Duration.ofSeconds(40));
                assertThat(code).as(ExporterProcess.log(second)).isEqualTo(1);
                assertThat(ExporterProcess.log(second))
                        .contains("is held by another exporter (async-task-exporter@" + holder.pid() + "@")
                        .contains("checkpoints-" + topic);
            }
            int before = progress.read(Duration.ZERO).size();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> progress.read(Duration.ofMillis(100)).size() > before + 20);
            assertThat(holder.alive()).isTrue();
            assertThat(ExporterProcess.log(first))
                    .as("the holder was neither fenced nor overwritten")
                    .doesNotContain("ERROR")
                    .doesNotContain("lost checkpoint topic")
                    .doesNotContain("Fenced");

            // Killed: Kafka keeps its membership for the session timeout (6 s here), then the next one owns the store.
            holder.kill();
            owned.add(new TruthCheck.Window(up, System.currentTimeMillis()));
            Path third = Files.createDirectories(dir.resolve("third"));
            port = Readiness.freePort();
            started = System.currentTimeMillis();
            ExporterProcess successor = ExporterProcess.run(third, config, port);
            up = successor.awaitCaughtUp(port, started, Duration.ofSeconds(60));
            int atKill = progress.read(Duration.ZERO).size();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> progress.read(Duration.ofMillis(100)).size() > atKill + 20);
            assertThat(successor.alive()).isTrue();
            owned.add(new TruthCheck.Window(up, System.currentTimeMillis()));
            assertThat(successor.stop()).as(ExporterProcess.log(third)).isIn(0, 143);

            // Stopped: its membership ends with it, and the next one starts at once and finishes the work.
            sim.engine().stopArrivals();
            Path fourth = Files.createDirectories(dir.resolve("fourth"));
            try (ExporterProcess last = ExporterProcess.run(fourth, config);
                    TopicReader committed = new TopicReader(kafka.bootstrapServers(), topic, true)) {
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                KafkaEndToEndIT.awaitAllFinalStatuses(sim, committed, Duration.ofSeconds(60));
                assertThat(last.stop()).as(ExporterProcess.log(fourth)).isIn(0, 143);
                assertThat(ExporterProcess.log(fourth)).doesNotContain("ERROR");
                PublishedEvents published = committed.events(Duration.ofMillis(500));
                Checks.noDuplicateIds(published);
                TruthCheck.polledEvery(Duration.ofSeconds(1))
                        .except(ScfProvider.ID, Duration.ofMillis(1500))
                        .runningIn(owned)
                        .check(GroundTruth.read(sim.transitions()), published);
            }
        }
    }
}
