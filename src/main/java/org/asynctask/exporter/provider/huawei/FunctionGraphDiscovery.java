package org.asynctask.exporter.provider.huawei;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.provider.FunctionDiscovery;
import org.asynctask.exporter.provider.FunctionRef;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.ListTokens;
import org.asynctask.exporter.provider.SourceConfig;

/** ListFunctions ({@code GET /v2/{project_id}/fgs/functions}, marker/maxitems paging; docs/providers.md §6). */
final class FunctionGraphDiscovery implements FunctionDiscovery {
    static final int MAX_ITEMS = 400;

    @Override
    public HttpCall request(SourceConfig source, String pageToken, Instant now) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("marker", pageToken == null ? "0" : pageToken);
        params.put("maxitems", Integer.toString(MAX_ITEMS));
        return FunctionGraphProvider.get(source, List.of("v2", source.account(), "fgs", "functions"), params, now);
    }

    @Override
    public FunctionPage parse(SourceConfig source, String pageToken, HttpReply reply) {
        String where = FunctionGraphProvider.ID + " source '" + source.name() + "' (function discovery)";
        FunctionGraphProvider.Listing<FunctionRef> listing = FunctionGraphProvider.readList(
                where, reply, "functions", ListTokens.asTree(FunctionGraphDiscovery::function));
        return new FunctionPage(
                listing.items(), listing.nextMarker(MAX_ITEMS, pageToken == null ? 0 : Integer.parseInt(pageToken)));
    }

    /** From {@code func_urn} {@code urn:fss:<region>:<project>:function:<package>:<name>[:<version>]}. */
    private static FunctionRef function(JsonNode f) {
        String[] urn = f.path("func_urn").asText("").split(":");
        if (urn.length < 7) {
            throw new IllegalArgumentException("a function has no usable func_urn");
        }
        return new FunctionRef(urn[5], urn[6], urn.length > 7 ? urn[7] : "latest");
    }
}
