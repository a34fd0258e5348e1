package org.asynctask.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.app.ExporterApp;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.SimProfile;
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

/** The whole exporter against the FC 3.0 simulator, publishing into a real (in-JVM, KRaft) broker. */
class KafkaEndToEndIT {
    static final SimProfile BUSY = new SimProfile(17, 15, Duration.ofMillis(400), Duration.ofSeconds(4), 0.15);
    static final Set<String> ALERT_STATUSES = Set.of("FAILED", "EXPIRED", "INVALID", "DISCARDED");

    @TempDir
    Path dir;

    @Test
    void publishesKeyedCloudEventsWithEveryFinalStatusAndAlerts() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        String topic = "events-" + UUID.randomUUID();
        String alerts = "alerts-" + UUID.randomUUID();
        try (SimulatorServer sim = SimulatorServer.start(0, dir, BUSY, Clock.systemUTC())) {
            ExporterConfig config = config(
                    sim,
                    kafka,
                    topic,
                    Map.of(
                            "exporter.kafka.alert-topic",
                            alerts,
                            // Any other camel-kafka option, the Camel way.
                            "camel.component.kafka.client-id",
                            "e2e-" + topic));
            long started;
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC());
                    TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic, false)) {
                app.start();
                started =
                        Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30));
                Thread.sleep(5_000);
                sim.engine().stopArrivals();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                awaitAllFinalStatuses(sim, reader, Duration.ofSeconds(30));
                assertThat(app.camelContext().getRoute("publish-kafka"))
                        .as("at-least-once publishes in the route, through camel-kafka")
                        .isNotNull();
                assertThat(app.camelContext().getEndpoints()).anyMatch(KafkaEndpoint.class::isInstance);
                assertThat(((KafkaProducers) app.beans().get("kafkaProducers")).producerProperties())
                        .as("camel.component.kafka.* reaches the producer")
                        .isNotEmpty()
                        .allSatisfy(p -> assertThat(p).containsEntry("client.id", "e2e-" + topic));
            }
            List<ConsumerRecord<String, byte[]>> records;
            try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic, false)) {
                records = readAll(reader);
            }
            PublishedEvents published = PublishedEvents.of(records.stream()
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .toList());
            GroundTruth truth = GroundTruth.read(sim.transitions());

            // Records are read partition by partition; a task's records share a key, so per task the order holds.
            TruthCheck.polledEvery(Duration.ofMillis(300))
                    .except(ScfProvider.ID, TestExporter.SCF_INTERVAL)
                    .runningFrom(started)
                    .check(truth, published);
            Checks.noDuplicateIds(published);
            for (int i = 0; i < records.size(); i++) {
                ConsumerRecord<String, byte[]> r = records.get(i);
                PublishedEvents.Event e = published.events().get(i);
                assertThat(r.key()).isEqualTo(e.json().get("taskkey").asText());
                assertThat(e.json().get("specversion").asText()).isEqualTo("1.0");
                assertThat(e.json().get("type").asText())
                        .isEqualTo("org.asynctask.exporter.asynctask.status.changed.v1");
                JsonNode task = e.json().at("/data/task");
                assertThat(e.json().get("source").asText())
                        .isEqualTo("/" + task.get("provider").asText() + "/"
                                + task.get("account").asText()
                                + "/" + task.get("region").asText() + "/"
                                + (task.has("namespace") ? task.get("namespace").asText() + "/" : "")
                                + task.get("function").asText());
                assertThat(headerNames(r)).as("no stray Camel or HTTP headers").containsExactly("content-type");
            }
            try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), alerts, false)) {
                assertThat(readAll(reader))
                        .as("alert records: no stray Camel or HTTP headers either")
                        .allSatisfy(r -> assertThat(headerNames(r)).containsExactly("content-type"));
                List<String> alertIds = PublishedEvents.of(readAll(reader).stream()
                                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                                .toList())
                        .events()
                        .stream()
                        .map(PublishedEvents.Event::id)
                        .toList();
                List<String> expected = published.events().stream()
                        .filter(e -> ALERT_STATUSES.contains(
                                e.json().at("/data/status").asText()))
                        .map(PublishedEvents.Event::id)
                        .toList();
                assertThat(expected).isNotEmpty();
                assertThat(alertIds).containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }

    /** Binary mode through camel-kafka: each record's CloudEvents attributes are its ce_* headers, and nothing else. */
    @Test
    void binaryModePutsTheAttributesInHeadersAndTheDataInTheValue() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        String topic = "binary-" + UUID.randomUUID();
        List<ConsumerRecord<String, byte[]>> records;
        try (SimulatorServer sim = SimulatorServer.start(0, dir, BUSY, Clock.systemUTC())) {
            ExporterConfig config = config(sim, kafka, topic, Map.of("exporter.kafka.cloudevents-mode", "binary"));
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC());
                    TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic, false)) {
                app.start();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> reader.read(Duration.ofMillis(100)).size() > 50);
            }
        }
        // Read once the exporter stopped: while it runs, there is always more.
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic, false)) {
            records = readAll(reader);
        }
        assertThat(records).hasSizeGreaterThan(50);
        for (ConsumerRecord<String, byte[]> r : records) {
            assertThat(headerNames(r))
                    .as("the binary mode's headers, nothing of Camel or HTTP")
                    .containsExactlyInAnyOrder(
                            "ce_specversion",
                            "ce_id",
                            "ce_source",
                            "ce_type",
                            "ce_subject",
                            "ce_time",
                            "ce_taskkey",
                            "content-type");
            assertThat(header(r, "ce_taskkey")).isEqualTo(r.key());
            assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(r, "content-type")).isEqualTo("application/json");
            JsonNode data = Json.MAPPER.readTree(r.value());
            assertThat(data.at("/task/taskId").asText())
                    .as("the value is the event's data")
                    .isNotEmpty();
            assertThat(r.key()).endsWith("/" + data.at("/task/taskId").asText());
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** The Kafka sink on the embedded broker and {@code topic}, fast polling, and {@code extra}. */
    private static ExporterConfig config(
            SimulatorServer sim, EmbeddedKafka kafka, String topic, Map<String, String> extra) {
        Map<String, String> global = new HashMap<>(Map.of(
                "exporter.sink",
                "kafka",
                "exporter.kafka.bootstrap-servers",
                kafka.bootstrapServers(),
                "exporter.kafka.topic",
                topic));
        global.putAll(extra);
        return TestExporter.config(sim, kafkaFastPolling(), TestExporter.scfWithinItsRateLimit(global));
    }

    static Map<String, String> kafkaFastPolling() {
        return Map.of(
                "interval",
                "300ms",
                "page-size",
                "10",
                "safety-lag",
                "300ms",
                "rescan-window",
                "1s",
                "old-task-check-interval",
                "3s",
                "initial-lookback",
                "3h");
    }

    /** Every record of a topic: reads until a read brings nothing new. */
    static List<ConsumerRecord<String, byte[]>> readAll(TopicReader reader) {
        int before;
        List<ConsumerRecord<String, byte[]>> all;
        do {
            before = reader.read(Duration.ZERO).size();
            all = reader.read(Duration.ofSeconds(1));
        } while (all.size() > before);
        return all;
    }

    static void awaitAllFinalStatuses(SimulatorServer sim, TopicReader reader, Duration atMost) {
        Await.allFinalStatuses(sim, () -> reader.events(Duration.ofMillis(100)), atMost);
    }

    private static List<String> headerNames(ConsumerRecord<String, byte[]> r) {
        return StreamSupport.stream(r.headers().spliterator(), false)
                .map(Header::key)
                .toList();
    }
}
