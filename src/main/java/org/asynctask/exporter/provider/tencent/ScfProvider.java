package org.asynctask.exporter.provider.tencent;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.provider.FunctionDiscovery;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.ProviderException;
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
        JsonNode response = ScfApi.response(where, reply);
        JsonNode list = response.path("EventList");
        if (!list.isMissingNode() && !list.isArray()) {
            throw ProviderException.malformed(where, reply.status(), "'EventList' is not an array");
        }
        List<Task> tasks = new ArrayList<>();
        for (JsonNode e : list) {
            try {
                tasks.add(map(e, partition, source.timeZone()));
            } catch (IllegalArgumentException ex) {
                throw ProviderException.malformed(where, reply.status(), ex.getMessage());
            }
        }
        long offset = query.pageToken() == null ? 0 : Long.parseLong(query.pageToken());
        long next = offset + tasks.size();
        long total = response.path("TotalCount").asLong(-1);
        boolean end = tasks.isEmpty() || total < 0 || next >= total;
        return new Page(tasks, end ? null : Long.toString(next));
    }

    private Task map(JsonNode e, PartitionKey partition, ZoneId zone) {
        String id = e.path("InvokeRequestId").asText("");
        String status = e.path("Status").asText("");
        if (id.isEmpty() || status.isEmpty()) {
            throw new IllegalArgumentException("an event has no InvokeRequestId or Status");
        }
        Instant started = ScfApi.parse(e.path("StartTime").asText(null), zone);
        if (started == null) {
            throw new IllegalArgumentException("event " + id + " has no StartTime");
        }
        String qualifier = e.path("Qualifier").asText("");
        String invokeType = e.path("InvokeType").asText("");
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
                .endedAt(ScfApi.parse(e.path("EndTime").asText(null), zone))
                .invokeType(invokeType.isEmpty() ? null : invokeType)
                .build();
    }
}
