package org.asynctask.exporter.provider.alibaba;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.StatusTable;
import org.asynctask.exporter.provider.fc2.Fc2Provider;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.task.HistoryEntry;
import org.asynctask.exporter.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mapper reads a task straight from the page's tokens (issue 24); it must give the task the tree mapper it
 * replaced gave, kept here as the oracle, for the API documents' pages and for tasks that bend every field: numbers
 * as strings and strings as numbers, nulls, objects where values belong, a field twice, events out of order.
 */
class AlibabaTaskMapperTest {
    private static final PartitionKey PARTITION =
            new PartitionKey("alibaba-fc3", "main", "123", "cn-hangzhou", null, "orders", "prod");
    private static final StatusTable FC3_STATUSES = new Fc3Provider().statuses();
    private static final StatusTable FC2_STATUSES = new Fc2Provider().statuses();

    private static final List<String> BENT = List.of(
            "{\"taskId\":\"t-1\",\"status\":\"Running\",\"startedTime\":1700000000000}",
            "{\"taskId\":42,\"status\":\"Succeeded\",\"startedTime\":1.7000000000005E12,\"endTime\":0,"
                    + "\"durationMs\":\"12\",\"alreadyRetriedTimes\":2.9,\"qualifier\":null,\"requestId\":true}",
            "{\"taskId\":\"t-2\",\"status\":\"Failed\",\"startedTime\":1700000000000,\"endTime\":1700000009000,"
                    + "\"taskErrorMessage\":{\"nested\":[1,2]},\"instanceId\":[\"a\"],\"destinationStatus\":1.5,"
                    + "\"taskPayload\":\"p\",\"returnPayload\":\"r\",\"invocationPayload\":\"fc2\","
                    + "\"unknown\":{\"a\":[{\"b\":null}]}}",
            "{\"taskId\":\"first\",\"taskId\":\"last\",\"status\":\"Running\",\"startedTime\":1700000000000,"
                    + "\"events\":[{\"status\":\"x\",\"timestamp\":1}],"
                    + "\"events\":[{\"eventId\":3,\"status\":\"Running\",\"timestamp\":30},"
                    + "{\"eventId\":\"1\",\"status\":\"Enqueued\",\"timestamp\":10},"
                    + "{\"status\":\"Succeeded\",\"timestamp\":40},"
                    + "{\"eventId\":null,\"status\":null,\"timestamp\":35},"
                    + "{\"eventId\":true,\"status\":\"\",\"timestamp\":5},"
                    + "{\"eventId\":2,\"status\":\"Dequeued\",\"timestamp\":\"20\"},"
                    + "{\"eventId\":99999999999999999999,\"status\":7,\"timestamp\":25.5},"
                    + "[1],\"text\",null]}",
            "{\"taskId\":\"t-3\",\"status\":\"Running\",\"startedTime\":1700000000000,"
                    + "\"events\":{\"a\":{\"eventId\":1,\"status\":\"Enqueued\",\"timestamp\":1}}}",
            "{\"taskId\":\"t-4\",\"status\":\"Running\",\"startedTime\":1700000000000,\"events\":\"none\","
                    + "\"durationMs\":123456789012345678901234567890}");

    private static Task streamed(AlibabaTaskMapper mapper, String json, boolean payload) throws Exception {
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            p.nextToken();
            return mapper.map(p, PARTITION, payload);
        }
    }

    @Test
    void bentTasksMapAsTheTreeMapperMappedThem() throws Exception {
        for (boolean fc3 : new boolean[] {true, false}) {
            AlibabaTaskMapper.Fields fields = fc3 ? AlibabaTaskMapper.Fields.FC3 : AlibabaTaskMapper.Fields.FC2;
            StatusTable statuses = fc3 ? FC3_STATUSES : FC2_STATUSES;
            AlibabaTaskMapper mapper = new AlibabaTaskMapper("alibaba-fc3", statuses, fields);
            for (String json : BENT) {
                String fcJson = fc3 ? json : json.replace("\"taskId\"", "\"invocationId\"");
                for (boolean payload : new boolean[] {true, false}) {
                    Task tree = map("alibaba-fc3", statuses, fields, Json.MAPPER.readTree(fcJson), PARTITION, payload);
                    assertThat(streamed(mapper, fcJson, payload)).as(fcJson).isEqualTo(tree);
                }
            }
        }
    }

    @Test
    void theDocumentsPagesMapAsTheTreeMapperMappedThem() throws Exception {
        AlibabaTaskMapper fc3 = new AlibabaTaskMapper("alibaba-fc3", FC3_STATUSES, AlibabaTaskMapper.Fields.FC3);
        JsonNode page = Json.MAPPER.readTree(
                Files.readString(Path.of("src/test/resources/fixtures/fc3-list-async-tasks-seed-000.json")));
        assertThat(page.path("tasks")).isNotEmpty();
        for (JsonNode task : page.path("tasks")) {
            assertThat(streamed(fc3, task.toString(), true))
                    .isEqualTo(map("alibaba-fc3", FC3_STATUSES, AlibabaTaskMapper.Fields.FC3, task, PARTITION, true));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"status\":\"Running\",\"startedTime\":1}",
                "{\"taskId\":\"\",\"status\":\"Running\",\"startedTime\":1}",
                "{\"taskId\":\"t\",\"startedTime\":1}",
                "{\"taskId\":\"t\",\"status\":\"Running\",\"startedTime\":\"1\"}",
                "{\"taskId\":\"t\",\"status\":\"Running\"}",
                "[\"not a task\"]",
                "\"not a task\""
            })
    void unusableTasksAreRefusedWithTheTreeMappersMessage(String json) throws Exception {
        AlibabaTaskMapper mapper = new AlibabaTaskMapper("alibaba-fc3", FC3_STATUSES, AlibabaTaskMapper.Fields.FC3);
        String expected = null;
        try {
            map(
                    "alibaba-fc3",
                    FC3_STATUSES,
                    AlibabaTaskMapper.Fields.FC3,
                    Json.MAPPER.readTree(json),
                    PARTITION,
                    false);
        } catch (IllegalArgumentException e) {
            expected = e.getMessage();
        }
        assertThat(expected).as("the oracle refuses it").isNotNull();
        assertThatThrownBy(() -> streamed(mapper, json, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(expected);
    }

    // The tree mapper as it was before issue 24: the oracle.

    static Task map(
            String provider,
            StatusTable statuses,
            AlibabaTaskMapper.Fields fields,
            JsonNode t,
            PartitionKey partition,
            boolean includePayload) {
        String taskId = required(t, fields.taskId());
        String status = required(t, "status");
        if (!t.path("startedTime").canConvertToLong()) {
            throw new IllegalArgumentException("task " + taskId + " has no numeric startedTime");
        }
        String qualifier = text(t, "qualifier");
        Task.Builder b = Task.builder()
                .location(
                        provider,
                        partition.source(),
                        partition.account(),
                        partition.region(),
                        partition.namespace(),
                        partition.function(),
                        qualifier != null ? qualifier : partition.qualifier())
                .taskId(taskId)
                .requestId(text(t, "requestId"))
                .status(statuses.normalize(status), status)
                .startedAt(Instant.ofEpochMilli(t.get("startedTime").asLong()))
                .endedAt(epochMillis(t, "endTime"))
                .durationMs(longValue(t, "durationMs"))
                .history(history(t))
                .retries(longValue(t, "alreadyRetriedTimes"))
                .errorMessage(text(t, fields.errorMessage()))
                .destinationStatus(text(t, "destinationStatus"))
                .instanceId(text(t, "instanceId"));
        if (includePayload) {
            b.payload(text(t, fields.payload())).result(fields.result() == null ? null : text(t, fields.result()));
        }
        return b.build();
    }

    /**
     * The task's {@code events}, oldest first (by {@code eventId}, then time): every transition FC recorded
     * for it, each becomes an event. Entries without a status or a numeric timestamp are left out.
     */
    private static List<HistoryEntry> history(JsonNode t) {
        List<JsonNode> events = new ArrayList<>();
        t.path("events").forEach(e -> {
            if (!e.path("status").asText().isEmpty() && e.path("timestamp").canConvertToLong()) {
                events.add(e);
            }
        });
        events.sort(Comparator.<JsonNode>comparingLong(e -> e.path("eventId").asLong(Long.MAX_VALUE))
                .thenComparingLong(e -> e.get("timestamp").asLong()));
        List<HistoryEntry> history = new ArrayList<>(events.size());
        events.forEach(e -> history.add(
                new HistoryEntry(e.get("status").asText(), e.get("timestamp").asLong())));
        return history;
    }

    private static String required(JsonNode t, String field) {
        String v = text(t, field);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("a task has no " + field);
        }
        return v;
    }

    private static String text(JsonNode t, String field) {
        JsonNode v = t.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long longValue(JsonNode t, String field) {
        JsonNode v = t.get(field);
        return v != null && v.canConvertToLong() ? v.asLong() : null;
    }

    /** FC returns 0 or nothing for "not yet" (a running task has no end time). */
    private static Instant epochMillis(JsonNode t, String field) {
        Long ms = longValue(t, field);
        return ms == null || ms <= 0 ? null : Instant.ofEpochMilli(ms);
    }
}
