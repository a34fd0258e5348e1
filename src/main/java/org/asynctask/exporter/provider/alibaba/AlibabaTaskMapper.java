package org.asynctask.exporter.provider.alibaba;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.asynctask.exporter.provider.ListTokens;
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

    /**
     * Reads one task straight from the page's tokens, the parser at its first token and left at its last; the
     * same task as a tree of it would give (a field given twice counts once, the last).
     *
     * @throws IllegalArgumentException naming the missing field when the task is unusable
     */
    public Task map(JsonParser p, PartitionKey partition, boolean includePayload) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw new IllegalArgumentException("a task has no " + fields.taskId());
        }
        String taskId = null;
        String status = null;
        Long startedTime = null;
        String qualifier = null;
        String requestId = null;
        Long endTime = null;
        Long durationMs = null;
        List<HistoryEntry> history = List.of();
        Long retries = null;
        String errorMessage = null;
        String destinationStatus = null;
        String instanceId = null;
        String payload = null;
        String result = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "status" -> status = ListTokens.text(p);
                case "startedTime" -> startedTime = longValue(p);
                case "qualifier" -> qualifier = ListTokens.text(p);
                case "requestId" -> requestId = ListTokens.text(p);
                case "endTime" -> endTime = longValue(p);
                case "durationMs" -> durationMs = longValue(p);
                case "events" -> history = history(p);
                case "alreadyRetriedTimes" -> retries = longValue(p);
                case "destinationStatus" -> destinationStatus = ListTokens.text(p);
                case "instanceId" -> instanceId = ListTokens.text(p);
                default -> {
                    if (field.equals(fields.taskId())) {
                        taskId = ListTokens.text(p);
                    } else if (field.equals(fields.errorMessage())) {
                        errorMessage = ListTokens.text(p);
                    } else if (field.equals(fields.payload())) {
                        payload = ListTokens.text(p);
                    } else if (field.equals(fields.result())) {
                        result = ListTokens.text(p);
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }
        required(taskId, fields.taskId());
        required(status, "status");
        if (startedTime == null) {
            throw new IllegalArgumentException("task " + taskId + " has no numeric startedTime");
        }
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
                .requestId(requestId)
                .status(statuses.normalize(status), status)
                .startedAt(Instant.ofEpochMilli(startedTime))
                .endedAt(endTime == null || endTime <= 0 ? null : Instant.ofEpochMilli(endTime))
                .durationMs(durationMs)
                .history(history)
                .retries(retries)
                .errorMessage(errorMessage)
                .destinationStatus(destinationStatus)
                .instanceId(instanceId);
        if (includePayload) {
            b.payload(payload).result(fields.result() == null ? null : result);
        }
        return b.build();
    }

    /** A recorded transition: its status and time, and the id FC orders them by. */
    private record Transition(long eventId, String status, long timestamp) {}

    /**
     * The task's {@code events}, oldest first (by {@code eventId}, then time): every transition FC recorded
     * for it, each becomes an event. Entries without a status or a numeric timestamp are left out.
     */
    private static List<HistoryEntry> history(JsonParser p) throws IOException {
        List<Transition> events = new ArrayList<>();
        if (p.currentToken() == JsonToken.START_ARRAY) {
            while (p.nextToken() != JsonToken.END_ARRAY) {
                transition(p, events);
            }
        } else if (p.currentToken() == JsonToken.START_OBJECT) {
            // A tree's forEach goes over an object's values.
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                p.nextToken();
                transition(p, events);
            }
        }
        events.sort(Comparator.comparingLong(Transition::eventId).thenComparingLong(Transition::timestamp));
        List<HistoryEntry> history = new ArrayList<>(events.size());
        events.forEach(e -> history.add(new HistoryEntry(e.status(), e.timestamp())));
        return history;
    }

    /** One entry of {@code events}, kept when it has a status and a numeric timestamp. */
    private static void transition(JsonParser p, List<Transition> events) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String status = "";
        Long timestamp = null;
        long eventId = Long.MAX_VALUE;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "status" -> {
                    String text = ListTokens.text(p);
                    status = text == null ? "null" : text;
                }
                case "timestamp" -> timestamp = longValue(p);
                case "eventId" -> eventId = eventId(p);
                default -> p.skipChildren();
            }
        }
        if (!status.isEmpty() && timestamp != null) {
            events.add(new Transition(eventId, status, timestamp));
        }
    }

    private static void required(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a task has no " + field);
        }
    }

    /** A number that fits a long (a fraction cut off), as a tree's {@code canConvertToLong()}; else null. */
    private static Long longValue(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : p.getLongValue();
            case VALUE_NUMBER_FLOAT -> {
                double value = p.getDoubleValue();
                yield value < Long.MIN_VALUE || value > Long.MAX_VALUE ? null : (long) value;
            }
            default -> {
                p.skipChildren();
                yield null;
            }
        };
    }

    /** The order FC gives an event, as a tree's {@code asLong(Long.MAX_VALUE)}: none orders last. */
    private static long eventId(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NUMBER_INT ->
                p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? p.getBigIntegerValue().longValue()
                        : p.getLongValue();
            case VALUE_NUMBER_FLOAT -> (long) p.getDoubleValue();
            case VALUE_STRING -> NumberInput.parseAsLong(p.getText(), Long.MAX_VALUE);
            case VALUE_TRUE -> 1;
            case VALUE_FALSE -> 0;
            default -> {
                p.skipChildren();
                yield Long.MAX_VALUE;
            }
        };
    }
}
