package org.asynctask.exporter.provider.tencent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.provider.FunctionDiscovery;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.ListTokens;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.SourceRules;
import org.asynctask.exporter.provider.StatusTable;
import org.asynctask.exporter.provider.TaskProvider;
import org.asynctask.exporter.task.Task;

/**
 * Tencent SCF ListAsyncEvents (docs/providers.md §5), TC3-signed (§8.4).
 *
 * <p>Offset paging is fragile: events arriving between two page requests shift the offsets, and with
 * the default {@code Order=DESC} they shift everything. So windows are listed {@code Order=ASC,
 * Orderby=StartTime} with a {@code StartTimeInterval} that ends at the scan's start: new events start
 * after the window and cannot shift it. An event that becomes visible late inside the window can only
 * push others one place further — they are listed twice, never skipped — and change detection keeps
 * the second sighting from being published again.
 */
public final class ScfProvider implements TaskProvider {
    public static final String ID = "tencent-scf";
    static final String ACTION = "ListAsyncEvents";

    private final StatusTable statuses = ScfStatuses.table();
    private final ScfDiscovery discovery = new ScfDiscovery();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public SourceRules sourceRules() {
        return SourceRules.of(maxPageSize(), listsByEndTime()).withTimeZone();
    }

    @Override
    public int maxPageSize() {
        return 100;
    }

    /** {@code EndTimeInterval} (docs/providers.md §5.1). */
    @Override
    public boolean listsByEndTime() {
        return true;
    }

    /** Documented: 20 requests per second. */
    @Override
    public int defaultRateLimit() {
        return 20;
    }

    @Override
    public StatusTable statuses() {
        return statuses;
    }

    @Override
    public FunctionDiscovery discovery() {
        return discovery;
    }

    @Override
    public HttpCall request(SourceConfig source, PartitionKey partition, PageQuery query, Instant now) {
        ZoneId zone = source.timeZone();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("FunctionName", partition.function());
        body.put("Namespace", partition.namespace() == null ? "default" : partition.namespace());
        if (partition.qualifier() != null) {
            body.put("Qualifier", partition.qualifier());
        }
        Instant from = query.isLookup() ? query.startedAt().minusSeconds(1) : query.from();
        Instant to = query.isLookup() ? query.startedAt().plusSeconds(1) : query.to();
        // [Start, End) in whole seconds: Start rounded down, End past the last second of the window.
        Map<String, String> interval = new LinkedHashMap<>();
        interval.put("Start", ScfApi.format(from, zone));
        interval.put("End", ScfApi.format(to.plusSeconds(1), zone));
        body.put("StartTimeInterval", interval);
        if (query.isLookup()) {
            body.put("InvokeRequestId", query.taskId());
        }
        if (query.status() != null) {
            body.put("Status", List.of(query.status()));
        }
        if (query.endedFrom() != null) {
            // [Start, End) in whole seconds, as the cycle asks for them.
            Map<String, String> ended = new LinkedHashMap<>();
            ended.put("Start", ScfApi.format(query.endedFrom(), zone));
            ended.put("End", ScfApi.format(query.endedTo(), zone));
            body.put("EndTimeInterval", ended);
        }
        body.put("Order", "ASC");
        body.put("Orderby", "StartTime");
        body.put("Offset", query.pageToken() == null ? 0 : Long.parseLong(query.pageToken()));
        body.put("Limit", query.limit());
        return ScfApi.post(source, ACTION, body, now);
    }

    @Override
    public Page parse(SourceConfig source, PartitionKey partition, PageQuery query, HttpReply reply) {
        String where = ID + " source '" + source.name() + "' ("
                + (partition.namespace() == null ? "default" : partition.namespace()) + "/" + partition.function()
                + ")";
        ZoneId zone = source.timeZone();
        ListTokens.Answer<Task> answer = ScfApi.responseList(where, reply, "EventList", e -> map(e, partition, zone));
        List<Task> tasks = answer.items();
        long offset = query.pageToken() == null ? 0 : Long.parseLong(query.pageToken());
        long next = offset + tasks.size();
        JsonNode totalCount = answer.fields().get("TotalCount");
        long total = totalCount == null ? -1 : totalCount.asLong(-1);
        boolean end = tasks.isEmpty() || total < 0 || next >= total;
        return new Page(tasks, end ? null : Long.toString(next));
    }

    /** One event, read from its tokens; a value that is missing, null or not text reads as a tree's {@code asText}. */
    private Task map(JsonParser p, PartitionKey partition, ZoneId zone) throws IOException {
        String id = "";
        String status = "";
        String start = null;
        String end = null;
        String qualifier = "";
        String invokeType = "";
        if (p.currentToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "InvokeRequestId" -> id = orEmpty(ListTokens.text(p));
                    case "Status" -> status = orEmpty(ListTokens.text(p));
                    case "StartTime" -> start = ListTokens.text(p);
                    case "EndTime" -> end = ListTokens.text(p);
                    case "Qualifier" -> qualifier = orEmpty(ListTokens.text(p));
                    case "InvokeType" -> invokeType = orEmpty(ListTokens.text(p));
                    default -> p.skipChildren();
                }
            }
        } else {
            p.skipChildren();
        }
        if (id.isEmpty() || status.isEmpty()) {
            throw new IllegalArgumentException("an event has no InvokeRequestId or Status");
        }
        Instant started = ScfApi.parse(start, zone);
        if (started == null) {
            throw new IllegalArgumentException("event " + id + " has no StartTime");
        }
        return Task.builder()
                .location(
                        ID,
                        partition.source(),
                        partition.account(),
                        partition.region(),
                        partition.namespace() == null ? "default" : partition.namespace(),
                        partition.function(),
                        qualifier.isEmpty() ? partition.qualifier() : qualifier)
                .taskId(id)
                .requestId(id)
                .status(statuses.normalize(status), status)
                .startedAt(started)
                .endedAt(ScfApi.parse(end, zone))
                .invokeType(invokeType.isEmpty() ? null : invokeType)
                .build();
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
