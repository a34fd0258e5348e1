package org.asynctask.exporter.provider.fc2;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.asynctask.exporter.provider.FunctionDiscovery;
import org.asynctask.exporter.provider.FunctionRef;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.alibaba.AlibabaApi;

/**
 * ListStatefulAsyncInvocationFunctions (docs/providers.md §3): the functions with async tasks enabled.
 * An empty, absent or literally {@code ""} nextToken ends the listing (the document's sample has the latter).
 */
final class Fc2Discovery implements FunctionDiscovery {
    static final String ACTION = "ListStatefulAsyncInvocationFunctions";

    @Override
    public HttpCall request(SourceConfig source, String pageToken, Instant now) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("limit", "100");
        if (pageToken != null) {
            params.put("nextToken", pageToken);
        }
        return Fc2Provider.get(source, null, null, "/stateful-async-invocation-functions", params, ACTION, now);
    }

    @Override
    public FunctionPage parse(SourceConfig source, String pageToken, HttpReply reply) {
        String where = Fc2Provider.ID + " source '" + source.name() + "' (function discovery)";
        AlibabaApi.ListAnswer<FunctionRef> answer = AlibabaApi.parseList(where, reply, "data", Fc2Discovery::function);
        return new FunctionPage(answer.items(), answer.nextToken());
    }

    private static FunctionRef function(JsonNode meta) {
        String service = meta.path("serviceName").asText("");
        String function = meta.path("functionName").asText("");
        if (service.isEmpty() || function.isEmpty()) {
            throw new IllegalArgumentException("a discovered function has no serviceName or functionName");
        }
        String qualifier = meta.path("qualifier").asText("");
        return new FunctionRef(service, function, qualifier.isEmpty() ? null : qualifier);
    }
}
