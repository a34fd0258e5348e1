package org.asynctask.exporter.provider.fc3;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.StatusTable;
import org.asynctask.exporter.task.Task;

/** Maps one FC 3.0 {@code AsyncTask} (providers.md §1.2) to a normalized {@link Task}. */
final class Fc3TaskMapper {
    private final StatusTable statuses;

    Fc3TaskMapper(StatusTable statuses) {
        this.statuses = statuses;
    }

    /** @throws IllegalArgumentException naming the missing field when the task is unusable */
    Task map(JsonNode t, PartitionKey partition, boolean includePayload) {
        String taskId = required(t, "taskId");
        String status = required(t, "status");
        if (!t.path("startedTime").canConvertToLong()) {
            throw new IllegalArgumentException("task " + taskId + " has no numeric startedTime");
        }
        String qualifier = text(t, "qualifier");
        Task.Builder b = Task.builder()
                .location(Fc3Provider.ID, partition.source(), partition.account(), partition.region(), null,
                        partition.function(), qualifier != null ? qualifier : partition.qualifier())
                .taskId(taskId)
                .requestId(text(t, "requestId"))
                .status(statuses.normalize(status), status)
                .startedAt(Instant.ofEpochMilli(t.get("startedTime").asLong()))
                .endedAt(epochMillis(t, "endTime"))
                .durationMs(longValue(t, "durationMs"))
                .statusTime(statusTime(t, status))
                .retries(longValue(t, "alreadyRetriedTimes"))
                .errorMessage(text(t, "taskErrorMessage"))
                .destinationStatus(text(t, "destinationStatus"))
                .instanceId(text(t, "instanceId"));
        if (includePayload) {
            b.payload(text(t, "taskPayload")).result(text(t, "returnPayload"));
        }
        return b.build();
    }

    /** The timestamp of the newest task event that reports the current status, if any. */
    private static Instant statusTime(JsonNode t, String status) {
        Instant latest = null;
        long latestId = Long.MIN_VALUE;
        for (JsonNode e : t.path("events")) {
            if (status.equals(e.path("status").asText()) && e.path("timestamp").canConvertToLong()) {
                long id = e.path("eventId").asLong(Long.MIN_VALUE);
                if (latest == null || id >= latestId) {
                    latest = Instant.ofEpochMilli(e.get("timestamp").asLong());
                    latestId = id;
                }
            }
        }
        return latest;
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
