package org.asynctask.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TaskStatus;
import org.junit.jupiter.api.Test;

class EventRecordsTest {
    private static KafkaSettings settings(boolean binary, String alertTopic) {
        return new KafkaSettings(
                "127.0.0.1:9",
                "events",
                alertTopic,
                Set.of(TaskStatus.FAILED),
                binary,
                "lz4",
                Duration.ofSeconds(5),
                "checkpoints",
                "tx",
                Map.of(),
                GroupSettings.SINGLE);
    }

    private static StatusChange change(TaskStatus status, String raw) {
        Task t = Task.builder()
                .location("alibaba-fc3", "main", "123", "cn-hangzhou", null, "orders", "prod")
                .taskId("t-1")
                .status(status, raw)
                .startedAt(Instant.parse("2026-01-01T00:00:00Z"))
                .endedAt(Instant.parse("2026-01-01T00:00:05Z"))
                .build();
        return new StatusChange("id-1", TaskStatus.RUNNING, "Running", t, t.endedAt());
    }

    private static Map<String, String> headers(ProducerRecord<String, byte[]> r) {
        return StreamSupport.stream(r.headers().spliterator(), false)
                .collect(Collectors.toMap(Header::key, h -> new String(h.value(), StandardCharsets.UTF_8)));
    }

    @Test
    void structuredModeCarriesTheWholeEventKeyedByTask() throws Exception {
        List<ProducerRecord<String, byte[]>> records =
                new EventRecords(settings(false, null)).of(change(TaskStatus.SUCCEEDED, "Succeeded"));
        assertThat(records).hasSize(1);
        ProducerRecord<String, byte[]> r = records.get(0);
        assertThat(r.topic()).isEqualTo("events");
        assertThat(r.key()).isEqualTo("alibaba-fc3/123/cn-hangzhou/-/orders/t-1");
        assertThat(headers(r)).containsOnly(Map.entry("content-type", "application/cloudevents+json; charset=UTF-8"));
        JsonNode e = Json.MAPPER.readTree(r.value());
        assertThat(e.get("id").asText()).isEqualTo("id-1");
        assertThat(e.at("/data/status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void binaryModePutsAttributesInCeHeadersAndDataInTheValue() throws Exception {
        ProducerRecord<String, byte[]> r = new EventRecords(settings(true, null))
                .of(change(TaskStatus.SUCCEEDED, "Succeeded"))
                .get(0);
        assertThat(headers(r))
                .containsOnly(
                        Map.entry("ce_specversion", "1.0"),
                        Map.entry("ce_id", "id-1"),
                        Map.entry("ce_source", "/alibaba-fc3/123/cn-hangzhou/orders"),
                        Map.entry("ce_type", "org.asynctask.exporter.asynctask.status.changed.v1"),
                        Map.entry("ce_subject", "t-1"),
                        Map.entry("ce_time", "2026-01-01T00:00:05Z"),
                        Map.entry("ce_taskkey", "alibaba-fc3/123/cn-hangzhou/-/orders/t-1"),
                        Map.entry("content-type", "application/json"));
        JsonNode data = Json.MAPPER.readTree(r.value());
        assertThat(data.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(data.get("previousStatus").asText()).isEqualTo("RUNNING");
        assertThat(data.at("/task/taskId").asText()).isEqualTo("t-1");
    }

    @Test
    void alertStatusesAlsoGoToTheAlertTopic() {
        EventRecords records = new EventRecords(settings(false, "alerts"));
        assertThat(records.of(change(TaskStatus.FAILED, "Failed")))
                .extracting(ProducerRecord::topic)
                .containsExactly("events", "alerts");
        assertThat(records.of(change(TaskStatus.SUCCEEDED, "Succeeded")))
                .extracting(ProducerRecord::topic)
                .containsExactly("events");
        assertThat(new EventRecords(settings(false, null)).of(change(TaskStatus.FAILED, "Failed")))
                .hasSize(1);
    }
}
