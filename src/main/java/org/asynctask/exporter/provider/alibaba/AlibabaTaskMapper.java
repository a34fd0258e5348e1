package org.asynctask.exporter.provider.alibaba;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.StatusTable;
import org.asynctask.exporter.task.HistoryEntry;
import org.asynctask.exporter.task.Task;

/**
 * Maps one Alibaba FC async task to a normalized {@link Task}. FC 3.0 {@code AsyncTask} (§1.2) and
 * FC 2.0 {@code StatefulAsyncInvocation} (§2.2) share their shape; only some field names differ.
 */
public final class AlibabaTaskMapper {

    /** The API's names for the fields that differ. {@code result} may be null (FC 2.0 has none). */
    public record Fields(String taskId, String errorMessage, String payload, String result) {
        public static final Fields FC3 = new Fields("taskId", "taskErrorMessage", "taskPayload", "returnPayload");
        public static final Fields FC2 =
                new Fields("invocationId", "invocationErrorMessage", "invocationPayload", null);
    }

    private final String provider;
    private final StatusTable statuses;
    private final Fields fields;

    public AlibabaTaskMapper(String provider, StatusTable statuses, Fields fields) {
        this.provider = provider;
        this.statuses = statuses;
        this.fields = fields;
    }

    /** @throws IllegalArgumentException naming the missing field when the task is unusable */
    public Task map(JsonNode t, PartitionKey partition, boolean includePayload) {
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
