package org.asynctask.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.app.ExporterApp;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Await;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.EmbeddedKafka;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TopicReader;
import org.asynctask.exporter.testing.TruthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker is down when the exporter starts, comes up, goes down during the run and comes back. */
class BrokerTroubleIT {
    @TempDir
    Path dir;

    @Test
    void keepsRetryingWithoutMovingCheckpointsAndCatchesUp() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                SimulatorServer sim = SimulatorServer.start(0, dir, KafkaEndToEndIT.BUSY, Clock.systemUTC())) {
            kafka.stop();
            ExporterConfig config = TestExporter.config(
                    sim,
                    KafkaEndToEndIT.kafkaFastPolling(),
                    TestExporter.scfWithinItsRateLimit(Map.of(
                            "exporter.sink", "kafka",
                            "exporter.kafka.bootstrap-servers", kafka.bootstrapServers(),
                            "exporter.kafka.delivery-timeout", "2s",
                            "exporter.retry.max-backoff", "2s")));
            List<TruthCheck.Window> brokerUp = new ArrayList<>();
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> app.stats().failedPolls.get() >= 3);
                assertThat(TestExporter.savedCheckpoints(config))
                        .as("nothing delivered, nothing checkpointed")
                        .isEmpty();
                assertThat(Readiness.awaitReady(app.metricsPort(), 503, Duration.ofSeconds(10))
                                .body())
                        .contains("\"name\":\"sink\"")
                        .contains("Kafka sink (topic " + config.kafka().topic() + " at " + kafka.bootstrapServers()
                                + ")");

                kafka.restart();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> app.stats().events.get() > 50);
                Readiness.awaitReady(app.metricsPort(), 200, Duration.ofSeconds(10));
                long upFrom =
                        Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30));

                long stoppedAt = System.currentTimeMillis();
                kafka.stop();
                brokerUp.add(new TruthCheck.Window(upFrom, stoppedAt));
                // Once every partition has failed a poll since (delivery time-out 2 s), none begun before is under way.
                Await.everyPartitionFailedSince(app, stoppedAt, Duration.ofSeconds(30));
                long failedBefore = app.stats().failedPolls.get();
                Map<PartitionKey, Checkpoint> frozen = TestExporter.savedCheckpoints(config);
                assertThat(frozen)
                        .as("checkpoints were saved while the broker was up")
                        .isNotEmpty();
                int partitions = app.partitions().size();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> app.stats().failedPolls.get() >= failedBefore + 2L * partitions);
                assertThat(TestExporter.savedCheckpoints(config))
                        .as("checkpoints do not move while the broker is down")
                        .isEqualTo(frozen);
                Readiness.Status status = Readiness.status(app.metricsPort());
                assertThat(status.exitCode()).as(status.output()).isEqualTo(3);
                assertThat(status.output()).containsPattern("(?m)^sink Kafka sink \\(.*\\): DOWN since .* — ");

                kafka.restart();
                Readiness.awaitReady(app.metricsPort(), 200, Duration.ofSeconds(30));
                brokerUp.add(new TruthCheck.Window(
                        Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30)),
                        Long.MAX_VALUE));
                sim.engine().stopArrivals();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                try (TopicReader reader =
                        new TopicReader(kafka.bootstrapServers(), config.kafka().topic(), false)) {
                    KafkaEndToEndIT.awaitAllFinalStatuses(sim, reader, Duration.ofSeconds(60));
                }
            }
            PublishedEvents published;
            try (TopicReader reader =
                    new TopicReader(kafka.bootstrapServers(), config.kafka().topic(), false)) {
                published = PublishedEvents.of(KafkaEndToEndIT.readAll(reader).stream()
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .toList());
            }
            Checks.repeatsAreIdentical(published);
            // While the broker was down, and until the exporter caught up after, a status may be missed; never outside.
            TruthCheck.polledEvery(Duration.ofMillis(300))
                    .except(ScfProvider.ID, TestExporter.SCF_INTERVAL)
                    .runningIn(brokerUp)
                    .check(GroundTruth.read(sim.transitions()), published);
        }
    }

    @Test
    void aKafkaCheckpointStoreThatGoesAwayIsReportedAndCaughtUpWith() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                SimulatorServer sim = SimulatorServer.start(0, dir, KafkaEndToEndIT.BUSY, Clock.systemUTC())) {
            ExporterConfig config = TestExporter.config(
                    sim,
                    KafkaEndToEndIT.kafkaFastPolling(),
                    TestExporter.scfWithinItsRateLimit(Map.of(
                            "exporter.checkpoint.store", "kafka",
                            "exporter.kafka.bootstrap-servers", kafka.bootstrapServers(),
                            "exporter.kafka.delivery-timeout", "2s",
                            "exporter.retry.max-backoff", "2s")));
            Path events = TestExporter.eventsDir(sim);
            List<TruthCheck.Window> brokerUp = new ArrayList<>();
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                long started =
                        Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> PublishedEvents.read(events).events().size() > 50);
                Readiness.awaitReady(app.metricsPort(), 200, Duration.ofSeconds(10));

                brokerUp.add(new TruthCheck.Window(started, System.currentTimeMillis()));
                kafka.stop();
                assertThat(Readiness.awaitReady(app.metricsPort(), 503, Duration.ofSeconds(20))
                                .body())
                        .contains("\"name\":\"checkpoint-store\"")
                        .contains("Kafka checkpoint store (topic "
                                + config.kafka().checkpointTopic() + " at " + kafka.bootstrapServers() + ")");
                assertThat(Readiness.status(app.metricsPort()).output())
                        .containsPattern("(?m)^sink file sink \\(.*\\): UP$");

                kafka.restart();
                Readiness.awaitReady(app.metricsPort(), 200, Duration.ofSeconds(30));
                brokerUp.add(new TruthCheck.Window(
                        Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30)),
                        Long.MAX_VALUE));
                sim.engine().stopArrivals();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                Await.allFinalStatuses(sim, events, Duration.ofSeconds(60));
            }
            // Events delivered while their checkpoint could not be saved come again, the same.
            PublishedEvents published = PublishedEvents.readAfterStop(events);
            Checks.repeatsAreIdentical(published);
            TruthCheck.polledEvery(Duration.ofMillis(300))
                    .except(ScfProvider.ID, TestExporter.SCF_INTERVAL)
                    .runningIn(brokerUp)
                    .check(GroundTruth.read(sim.transitions()), published);
        }
    }
}
