package org.asynctask.exporter.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TaskStatus;
import org.asynctask.exporter.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Camel sink on a real Camel context: what each message carries, and what a failed send means. */
class CamelEventSinkTest {
    @TempDir
    Path dir;

    private final CamelContext camel = new DefaultCamelContext();

    @BeforeEach
    void start() {
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    private static StatusChange change(String id, TaskStatus status) {
        Task t = Task.builder()
                .location("alibaba-fc3", "main", "123", "cn-hangzhou", null, "orders", "prod")
                .taskId("task-" + id)
                .status(status, status == TaskStatus.FAILED ? "Failed" : "Running")
                .startedAt(Instant.parse("2026-03-04T23:00:00Z"))
                .build();
        return new StatusChange(id, null, null, t, Instant.parse("2026-03-04T23:00:01Z"));
    }

    /** The lines the file sink writes for these changes: the JSON every Camel message must carry. */
    private List<String> fileSinkLines(List<StatusChange> changes) throws Exception {
        try (FileEventSink files = new FileEventSink(dir, new MutableClock(Instant.parse("2026-03-04T23:00:02Z")))) {
            files.publish(changes);
        }
        return Files.readAllLines(dir.resolve("alibaba-fc3/2026-03-04_0001.jsonl"));
    }

    @Test
    void aMessagePerEventInOrderWithTheFileSinksBytesAndTheCloudEventHeaders() throws Exception {
        List<StatusChange> changes = List.of(change("e1", TaskStatus.RUNNING), change("e2", TaskStatus.FAILED));
        List<String> lines = fileSinkLines(changes);
        MockEndpoint events = camel.getEndpoint("mock:events", MockEndpoint.class);
        events.expectedMessageCount(2);

        try (CamelEventSink sink = new CamelEventSink(() -> camel, "mock:events", false)) {
            sink.publish(changes);
        }

        events.assertIsSatisfied();
        for (int i = 0; i < 2; i++) {
            Exchange got = events.getReceivedExchanges().get(i);
            assertThat(new String(got.getMessage().getBody(byte[].class), StandardCharsets.UTF_8))
                    .as("the same bytes as the file sink's line")
                    .isEqualTo(lines.get(i));
            Map<String, Object> headers = got.getMessage().getHeaders();
            assertThat(headers)
                    .containsEntry("ce_id", changes.get(i).eventId())
                    .containsEntry("ce_specversion", "1.0")
                    .containsEntry("ce_source", "/alibaba-fc3/123/cn-hangzhou/orders")
                    .containsEntry("ce_type", "org.asynctask.exporter.asynctask.status.changed.v1")
                    .containsEntry("ce_subject", "task-" + changes.get(i).eventId())
                    .containsEntry("ce_time", "2026-03-04T23:00:01Z")
                    .containsEntry("ce_taskkey", changes.get(i).task().taskKey())
                    .containsEntry(Exchange.CONTENT_TYPE, "application/cloudevents+json; charset=UTF-8")
                    .as("nothing else: no Camel or HTTP header of the exporter's own")
                    .hasSize(8);
        }
    }

    @Test
    void inBatchModeOneMessageCarriesTheBatchAsMapsWithTheFileSinksJson() throws Exception {
        List<StatusChange> changes = List.of(change("e1", TaskStatus.RUNNING), change("e2", TaskStatus.FAILED));
        List<String> lines = fileSinkLines(changes);
        MockEndpoint batches = camel.getEndpoint("mock:batches", MockEndpoint.class);
        batches.expectedMessageCount(1);

        try (CamelEventSink sink = new CamelEventSink(() -> camel, "mock:batches", true)) {
            sink.publish(changes);
        }

        batches.assertIsSatisfied();
        List<?> events = batches.getReceivedExchanges().get(0).getMessage().getBody(List.class);
        assertThat(events).hasSize(2);
        for (int i = 0; i < 2; i++) {
            Map<?, ?> fields = (Map<?, ?>) events.get(i);
            assertThat(List.<Object>copyOf(fields.keySet()))
                    .as("in order, the fields a batch statement names")
                    .containsExactly("id", "taskkey", "status", "time", "event");
            assertThat(fields.get("id")).isEqualTo(changes.get(i).eventId());
            assertThat(fields.get("taskkey")).isEqualTo(changes.get(i).task().taskKey());
            assertThat(fields.get("status"))
                    .isEqualTo(changes.get(i).task().status().name());
            assertThat(fields.get("time")).isEqualTo("2026-03-04T23:00:01Z");
            assertThat(fields.get("event")).as("the file sink's line").isEqualTo(lines.get(i));
        }
    }

    @Test
    void inBatchModeAFailedSendFailsTheWholeBatch() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:down").throwException(new IllegalStateException("database down"));
            }
        });
        try (CamelEventSink sink = new CamelEventSink(() -> camel, "direct:down", true)) {
            assertThatThrownBy(() ->
                            sink.publish(List.of(change("e1", TaskStatus.RUNNING), change("e2", TaskStatus.FAILED))))
                    .isInstanceOf(SinkException.class)
                    .hasMessageContaining("Camel endpoint direct:down did not take the batch of 2 events from e1")
                    .hasMessageContaining("database down");
        }
    }

    @Test
    void aSendThatFailsFailsThePublishAfterTheOnesBeforeIt() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:picky")
                        .to("mock:taken")
                        .filter(simple("${header.ce_id} == 'e2'"))
                        .throwException(new IllegalStateException("disk full"));
            }
        });
        MockEndpoint taken = camel.getEndpoint("mock:taken", MockEndpoint.class);
        try (CamelEventSink sink = new CamelEventSink(() -> camel, "direct:picky", false)) {
            assertThatThrownBy(() -> sink.publish(List.of(
                            change("e1", TaskStatus.RUNNING),
                            change("e2", TaskStatus.RUNNING),
                            change("e3", TaskStatus.FAILED))))
                    .isInstanceOf(SinkException.class)
                    .hasMessageContaining("Camel endpoint direct:picky did not take event e2")
                    .hasMessageContaining("disk full");
        }
        assertThat(taken.getReceivedExchanges())
                .as("the batch stops at the failed send; the poll is retried, with the same ids")
                .extracting(e -> e.getMessage().getHeader("ce_id"))
                .containsExactly("e1", "e2");
    }
}
