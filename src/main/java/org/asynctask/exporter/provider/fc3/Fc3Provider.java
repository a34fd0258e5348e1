package org.asynctask.exporter.provider.fc3;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.config.SourceConfig;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.ProviderException;
import org.asynctask.exporter.provider.StatusTable;
import org.asynctask.exporter.provider.TaskProvider;
import org.asynctask.exporter.provider.alibaba.Acs3Signer;
import org.asynctask.exporter.provider.alibaba.AlibabaErrors;
import org.asynctask.exporter.task.Task;

/** Alibaba Function Compute 3.0 ListAsyncTasks (providers.md §1), signed with ACS3 (§8.1). */
public final class Fc3Provider implements TaskProvider {
    public static final String ID = "alibaba-fc3";
    static final String VERSION = "2023-03-30";
    static final String ACTION = "ListAsyncTasks";

    private final StatusTable statuses = Fc3Statuses.table();
    private final Fc3TaskMapper mapper = new Fc3TaskMapper(statuses);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int maxPageSize() {
        return 100;
    }

    @Override
    public StatusTable statuses() {
        return statuses;
    }

    public static String path(String function) {
        return "/" + VERSION + "/functions/" + Acs3Signer.percentEncode(function) + "/async-tasks";
    }

    @Override
    public HttpCall request(SourceConfig source, PartitionKey partition, PageQuery query, Instant now) {
        String base = source.endpointOr("https://" + source.account() + "." + source.region() + ".fc.aliyuncs.com");
        String path = path(partition.function());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("limit", Integer.toString(query.limit()));
        if (query.isLookup()) {
            // The id prefix finds one task without a time window, however old it is.
            params.put("prefix", query.taskId());
        } else {
            params.put("startedTimeBegin", Long.toString(query.from().toEpochMilli()));
            params.put("startedTimeEnd", Long.toString(query.to().toEpochMilli()));
            params.put("sortOrderByTime", "asc");
        }
        if (query.pageToken() != null) {
            params.put("nextToken", query.pageToken());
        }
        if (query.status() != null) {
            params.put("status", query.status());
        }
        if (partition.qualifier() != null) {
            params.put("qualifier", partition.qualifier());
        }
        if (source.includePayload()) {
            params.put("includePayload", "true");
        }
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("host", URI.create(base).getRawAuthority());
        signed.put("x-acs-action", ACTION);
        signed.put("x-acs-version", VERSION);
        signed.put("x-acs-date", now.truncatedTo(ChronoUnit.SECONDS).toString());
        signed.put("x-acs-signature-nonce", UUID.randomUUID().toString().replace("-", ""));
        signed.put("x-acs-content-sha256", Acs3Signer.EMPTY_BODY_SHA256);
        if (source.credentials().securityToken() != null) {
            signed.put("x-acs-security-token", source.credentials().securityToken().reveal());
        }
        String authorization = Acs3Signer.authorization("GET", path, params, signed, Acs3Signer.EMPTY_BODY_SHA256,
                source.credentials().id(), source.credentials().secret().reveal());
        Map<String, String> headers = new LinkedHashMap<>(signed);
        // The HTTP client sets Host from the URL; it was signed with exactly that authority.
        headers.remove("host");
        headers.put("Authorization", authorization);
        headers.put("Accept", "application/json");
        return new HttpCall("GET", base + path + "?" + Acs3Signer.canonicalQuery(params), headers, null);
    }

    @Override
    public Page parse(SourceConfig source, PartitionKey partition, PageQuery query, HttpReply reply) {
        String where = ID + " source '" + source.name() + "' (" + partition.function() + ")";
        if (reply.status() / 100 != 2) {
            throw AlibabaErrors.toException(where, reply);
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(reply.body() == null ? "" : reply.body());
        } catch (Exception e) {
            throw ProviderException.malformed(where, reply.status(), "body is not JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (body == null || !body.isObject()) {
            throw ProviderException.malformed(where, reply.status(), "body is not a JSON object");
        }
        JsonNode tasks = body.path("tasks");
        if (!tasks.isMissingNode() && !tasks.isNull() && !tasks.isArray()) {
            throw ProviderException.malformed(where, reply.status(), "'tasks' is not an array");
        }
        List<Task> out = new ArrayList<>();
        for (JsonNode t : tasks) {
            try {
                out.add(mapper.map(t, partition, source.includePayload()));
            } catch (IllegalArgumentException e) {
                throw ProviderException.malformed(where, reply.status(), e.getMessage());
            }
        }
        JsonNode next = body.get("nextToken");
        return new Page(out, next == null || next.isNull() ? null : next.asText());
    }
}
