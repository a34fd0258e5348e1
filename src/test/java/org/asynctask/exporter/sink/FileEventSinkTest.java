package org.asynctask.exporter.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TaskStatus;
import org.asynctask.exporter.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileEventSinkTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-04T23:59:59Z"));

    private static StatusChange change(String id, TaskStatus previous) {
        Task t = Task.builder().location("alibaba-fc3", "main", "123", "cn-hangzhou", null, "orders", "prod")
                .taskId("task-" + id).status(TaskStatus.FAILED, "Failed").startedAt(Instant.parse("2026-03-04T23:00:00Z"))
                .endedAt(Instant.parse("2026-03-04T23:30:00Z")).errorMessage("UnhandledInvocationError").build();
        return new StatusChange(id, previous, previous == null ? null : "Running", t, t.endedAt());
    }

    @Test
    void writesCloudEventsAsJsonLinesPerProviderAndDay() throws Exception {
        try (FileEventSink sink = new FileEventSink(dir, clock)) {
            sink.publish(List.of(change("e1", TaskStatus.RUNNING), change("e2", null)));
            clock.advance(java.time.Duration.ofSeconds(2));
            sink.publish(List.of(change("e3", TaskStatus.RUNNING)));
            assertThat(sink.written()).isEqualTo(3);
        }
        List<String> day1 = Files.readAllLines(dir.resolve("alibaba-fc3/2026-03-04.jsonl"));
        List<String> day2 = Files.readAllLines(dir.resolve("alibaba-fc3/2026-03-05.jsonl"));
        assertThat(day1).hasSize(2);
        assertThat(day2).hasSize(1);

        JsonNode e = Json.MAPPER.readTree(day1.get(0));
        assertThat(e.get("specversion").asText()).isEqualTo("1.0");
        assertThat(e.get("id").asText()).isEqualTo("e1");
        assertThat(e.get("source").asText()).isEqualTo("/alibaba-fc3/123/cn-hangzhou/orders");
        assertThat(e.get("type").asText()).isEqualTo("org.asynctask.exporter.asynctask.status.changed.v1");
        assertThat(e.get("subject").asText()).isEqualTo("task-e1");
        assertThat(e.get("time").asText()).isEqualTo("2026-03-04T23:30:00Z");
        assertThat(e.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(e.get("taskkey").asText()).isEqualTo("alibaba-fc3/123/cn-hangzhou/-/orders/task-e1");
        assertThat(e.at("/data/previousStatus").asText()).isEqualTo("RUNNING");
        assertThat(e.at("/data/status").asText()).isEqualTo("FAILED");
        assertThat(e.at("/data/task/terminal").asBoolean()).isTrue();
        assertThat(e.at("/data/task/startedAt").asText()).isEqualTo("2026-03-04T23:00:00Z");
        assertThat(e.at("/data/task").has("payload")).isFalse();

        JsonNode first = Json.MAPPER.readTree(day1.get(1));
        assertThat(first.get("data").has("previousStatus")).as("explicit null on a first sighting").isTrue();
        assertThat(first.at("/data/previousStatus").isNull()).isTrue();
    }

    @Test
    void failsTheWholeBatchWithTheFileNamedWhenItCannotWrite() throws Exception {
        Files.writeString(dir.resolve("alibaba-fc3"), "a file where the provider directory should be");
        try (FileEventSink sink = new FileEventSink(dir, clock)) {
            assertThatThrownBy(() -> sink.publish(List.of(change("e1", null))))
                    .isInstanceOf(SinkException.class).hasMessageContaining("alibaba-fc3");
            assertThat(sink.written()).isZero();
        }
    }
}
