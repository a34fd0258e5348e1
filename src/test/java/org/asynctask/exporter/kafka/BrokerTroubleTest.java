package org.asynctask.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.asynctask.exporter.app.ExporterApp;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Await;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.EmbeddedKafka;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker is down when the exporter starts, comes up, goes down during the run and comes back. */
class BrokerTroubleTest {
    @TempDir
    Path dir;

    @Test
    void keepsRetryingWithoutMovingCheckpointsAndCatchesUp() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             SimulatorServer sim = SimulatorServer.start(0, dir, KafkaEndToEndTest.BUSY, Clock.systemUTC())) {
            kafka.stop();
            ExporterConfig config = TestExporter.config(sim, KafkaEndToEndTest.kafkaFastPolling(), Map.of(
                    "exporter.sink", "kafka",
                    "exporter.kafka.bootstrap-servers", kafka.bootstrapServers(),
                    "exporter.kafka.delivery-timeout", "2s",
                    "exporter.retry.max-backoff", "2s"));
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> app.stats().failedPolls.get() >= 3);
                assertThat(checkpoints(config)).as("nothing delivered, nothing checkpointed").isEmpty();
                assertThat(Readiness.awaitReady(app.metricsPort(), 503, Duration.ofSeconds(10)).body())
                        .contains("\"name\":\"sink\"").contains("Kafka sink (topic " + config.kafka().topic() + " at " + kafka.bootstrapServers() + ")");

                kafka.restart();
                await().atMost(Duration.ofSeconds(30)).until(() -> app.stats().events.get() > 50);
                Readiness.awaitReady(app.metricsPort(), 200, Duration.ofSeconds(10));

                kafka.stop();
                long failedBefore = app.stats().failedPolls.get();
                Thread.sleep(3_000); // let polls in flight at the stop finish or fail
                Map<String, String> frozen = checkpoints(config);
                await().atMost(Duration.ofSeconds(30)).until(() -> app.stats().failedPolls.get() >= failedBefore + 3);
                assertThat(checkpoints(config)).as("checkpoints do not move while the broker is down").isEqualTo(frozen);
                Readiness.Status status = Readiness.status(app.metricsPort());
                assertThat(status.exitCode()).as(status.output()).isEqualTo(3);
                assertThat(status.output()).containsPattern("(?m)^sink Kafka sink \\(.*\\): DOWN since .* — ");

                kafka.restart();
                Readiness.awaitReady(app.metricsPort(), 200, Duration.ofSeconds(30));
                sim.engine().stopArrivals();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), config.kafka().topic(), false)) {
                    KafkaEndToEndTest.awaitAllFinalStatuses(sim, reader, Duration.ofSeconds(60));
                }
            }
            PublishedEvents published;
            try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), config.kafka().topic(), false)) {
                published = PublishedEvents.of(KafkaEndToEndTest.readAll(reader).stream()
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
            }
            GroundTruth truth = GroundTruth.read(sim.transitions());
            Checks.repeatsAreIdentical(published);
            Checks.everyFinalStatusPublished(truth, published.firstOfEachId());
            Checks.publishedStatusesAreSubsequenceOfTruth(truth, published.firstOfEachId());
        }
    }

    @Test
    void aKafkaCheckpointStoreThatGoesAwayIsReportedAndCaughtUpWith() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             SimulatorServer sim = SimulatorServer.start(0, dir, KafkaEndToEndTest.BUSY, Clock.systemUTC())) {
            ExporterConfig config = TestExporter.config(sim, KafkaEndToEndTest.kafkaFastPolling(), Map.of(
                    "exporter.checkpoint.store", "kafka",
                    "exporter.kafka.bootstrap-servers", kafka.bootstrapServers(),
                    "exporter.kafka.delivery-timeout", "2s",
                    "exporter.retry.max-backoff", "2s"));
            Path events = TestExporter.eventsDir(sim);
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> PublishedEvents.read(events).events().size() > 50);
                Readiness.awaitReady(app.metricsPort(), 200, Duration.ofSeconds(10));

                kafka.stop();
                assertThat(Readiness.awaitReady(app.metricsPort(), 503, Duration.ofSeconds(20)).body())
                        .contains("\"name\":\"checkpoint-store\"")
                        .contains("Kafka checkpoint store (topic " + config.kafka().checkpointTopic() + " at " + kafka.bootstrapServers() + ")");
                assertThat(Readiness.status(app.metricsPort()).output()).containsPattern("(?m)^sink file sink \\(.*\\): UP$");

                kafka.restart();
                Readiness.awaitReady(app.metricsPort(), 200, Duration.ofSeconds(30));
                sim.engine().stopArrivals();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                Await.allFinalStatuses(sim, events, Duration.ofSeconds(60));
            }
            // Events delivered while their checkpoint could not be saved come again, the same.
            PublishedEvents published = PublishedEvents.read(events);
            GroundTruth truth = GroundTruth.read(sim.transitions());
            Checks.repeatsAreIdentical(published);
            Checks.everyFinalStatusPublished(truth, published.firstOfEachId());
            Checks.publishedStatusesAreSubsequenceOfTruth(truth, published.firstOfEachId());
        }
    }

    private static Map<String, String> checkpoints(ExporterConfig config) throws Exception {
        Map<String, String> contents = new TreeMap<>();
        if (Files.exists(config.checkpointDir())) {
            try (Stream<Path> files = Files.list(config.checkpointDir())) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                    contents.put(f.getFileName().toString(), Files.readString(f));
                }
            }
        }
        return contents;
    }
}
