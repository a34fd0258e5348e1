package org.asynctask.exporter.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.event.CloudEvent;
import org.asynctask.exporter.event.EventJson;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.Task;

/**
 * What one webhook message says, in the shapes the formats need: a title, Markdown (DingTalk, WeCom),
 * plain text (Feishu, Slack) and JSON (generic: the CloudEvent itself, or a summary object).
 *
 * @param function {@code source/[namespace/]function}: the rate-limit key, and what a summary is about
 */
public record AlertMessage(String function, String title, String markdown, String text, byte[] json) {
    /** Error messages can be long stack traces: chat messages show the start. */
    private static final int MAX_ERROR_CHARS = 1000;

    public static AlertMessage of(StatusChange change) {
        Task t = change.task();
        String function = functionOf(t);
        String title = t.status() + ": " + function + (t.qualifier() == null ? "" : ":" + t.qualifier());
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("task", t.taskId());
        lines.put(
                "status",
                t.status() + " (" + t.providerStatus() + ")"
                        + (change.previousStatus() == null ? "" : ", was " + change.previousStatus()));
        lines.put(
                "provider", t.provider() + ", " + t.region() + (t.account() == null ? "" : ", account " + t.account()));
        if (t.startedAt() != null) {
            lines.put("started", t.startedAt().toString());
        }
        if (t.endedAt() != null) {
            lines.put(
                    "ended",
                    t.endedAt()
                            + (t.startedAt() == null
                                    ? ""
                                    : " (after "
                                            + Duration.between(t.startedAt(), t.endedAt())
                                                    .toSeconds() + " s)"));
        }
        if (t.errorCode() != null) {
            lines.put("error code", t.errorCode());
        }
        if (t.errorMessage() != null) {
            String m = t.errorMessage();
            lines.put("error", m.length() > MAX_ERROR_CHARS ? m.substring(0, MAX_ERROR_CHARS) + " …" : m);
        }
        lines.put("event id", change.eventId());
        try {
            return build(function, title, lines, EventJson.MAPPER.writeValueAsBytes(CloudEvent.of(change)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize event " + change.eventId(), e);
        }
    }

    /** Alerts of one function the rate limit held back during a window. */
    public static AlertMessage suppressed(
            String function, Map<String, Integer> byStatus, Instant since, Duration window) {
        int total = byStatus.values().stream().mapToInt(Integer::intValue).sum();
        String title = total + " more alert(s) for " + function + " held back";
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put(
                "held back",
                total + " " + byStatus + " since " + since + " (rate limit per function and " + window + ")");
        lines.put("see", "the event files or topic for each task");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "org.asynctask.exporter.alerts.suppressed.v1");
        json.put("function", function);
        json.put("count", total);
        json.put("byStatus", byStatus);
        json.put("since", since.toString());
        try {
            return build(function, title, lines, Json.MAPPER.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AlertMessage build(String function, String title, Map<String, String> lines, byte[] json) {
        StringBuilder markdown = new StringBuilder("### ").append(title).append("\n\n");
        StringBuilder text = new StringBuilder(title).append('\n');
        lines.forEach((k, v) -> {
            markdown.append("- **").append(k).append("**: ").append(v).append('\n');
            text.append(k).append(": ").append(v).append('\n');
        });
        return new AlertMessage(function, title, markdown.toString(), text.toString(), json);
    }

    static String functionOf(Task t) {
        return t.source() + "/" + (t.namespace() == null ? "" : t.namespace() + "/") + t.function();
    }
}
