package org.asynctask.exporter.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TaskStatus;
import org.junit.jupiter.api.Test;

/**
 * The events' own serializers write exactly what Jackson's bean serialization of the records writes: the schema
 * stays the records' declaration, and a field added to {@link Task} without its line in {@link EventJson} fails
 * here (the first case sets every field).
 */
class EventJsonTest {
    private static final String[] TEXTS = {
        "plain", "", "quote \" backslash \\ tab \t newline \n", "ünïcødé 任务 😀", "\u0001"
    };

    @Test
    void everyEventIsWrittenByteForByteAsTheRecordsDeclareIt() throws Exception {
        for (StatusChange change : changes()) {
            CloudEvent event = CloudEvent.of(change);
            assertThat(new String(EventJson.MAPPER.writeValueAsBytes(event)))
                    .isEqualTo(new String(Json.MAPPER.writeValueAsBytes(event)));
            assertThat(EventJson.MAPPER.writeValueAsString(event.data()))
                    .as("the data alone (Kafka's binary mode)")
                    .isEqualTo(Json.MAPPER.writeValueAsString(event.data()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            EventJson.MAPPER.writeValue(out, event);
            assertThat(out.toByteArray()).isEqualTo(Json.MAPPER.writeValueAsBytes(event));
        }
    }

    @Test
    void aTaskWithEveryFieldSetHasEveryFieldInItsEvent() throws Exception {
        String json =
                EventJson.MAPPER.writeValueAsString(CloudEvent.of(changes().get(0)));
        for (var component : Task.class.getRecordComponents()) {
            if (!component.getName().equals("history")) {
                assertThat(json).contains("\"" + component.getName() + "\":");
            }
        }
    }

    private static List<StatusChange> changes() {
        List<StatusChange> out = new ArrayList<>();
        Random random = new Random(24);
        out.add(change(full("fc3", TEXTS[0], Instant.parse("2026-12-03T11:00:00.123Z")), TaskStatus.QUEUED));
        out.add(change(minimal(), null));
        for (int i = 0; i < 500; i++) {
            // Any second of years 0000 to 9999, with no fraction, millis, micros or nanos.
            long second = -62_167_219_200L + (long) (random.nextDouble() * 315_537_897_600L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Task task = i % 3 == 0
                    ? minimal()
                    : full("p" + i, TEXTS[i % TEXTS.length], Instant.ofEpochSecond(second, nanos));
            out.add(change(task, i % 2 == 0 ? null : TaskStatus.values()[i % TaskStatus.values().length]));
        }
        return out;
    }

    private static StatusChange change(Task task, TaskStatus previous) {
        return new StatusChange(
                "id-" + task.taskId(),
                previous,
                previous == null ? null : previous.name().toLowerCase(),
                task,
                task.startedAt());
    }

    private static Task full(String provider, String text, Instant at) {
        return new Task(
                provider,
                "source-" + text,
                "123",
                "cn-hangzhou",
                "ns",
                "fn " + text,
                "prod",
                "task-" + text,
                "req-1",
                TaskStatus.SUCCEEDED,
                "Succeeded",
                true,
                at,
                at.plusMillis(1500),
                1500L,
                at.plusMillis(1500),
                2L,
                "E" + text,
                "message " + text,
                "Succeeded",
                "Async",
                "instance-1",
                "{\"payload\":\"" + text + "\"}",
                text,
                null);
    }

    private static Task minimal() {
        return new Task(
                "p",
                "s",
                "1",
                "r",
                null,
                "f",
                null,
                "t",
                null,
                TaskStatus.RUNNING,
                "Running",
                false,
                Instant.ofEpochMilli(1_700_000_000_000L),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
