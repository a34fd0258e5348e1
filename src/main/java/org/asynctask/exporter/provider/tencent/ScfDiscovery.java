package org.asynctask.exporter.provider.tencent;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.provider.FunctionDiscovery;
import org.asynctask.exporter.provider.FunctionRef;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.SourceConfig;

/**
 * Discovery through ListNamespaces, then ListFunctions for each namespace (docs/providers.md §6), both
 * Offset/Limit/TotalCount paged. The page token carries where the walk is: {@code ns:<offset>} while
 * listing namespaces (the ones found so far travel along), {@code fn:<offset>:<namespace>…} after.
 */
final class ScfDiscovery implements FunctionDiscovery {
    private static final int LIMIT = 100;

    @Override
    public HttpCall request(SourceConfig source, String pageToken, Instant now) {
        Cursor c = Cursor.parse(pageToken);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Offset", c.offset);
        body.put("Limit", LIMIT);
        if (c.listingNamespaces) {
            return ScfApi.post(source, "ListNamespaces", body, now);
        }
        body.put("Namespace", c.namespaces.get(0));
        return ScfApi.post(source, "ListFunctions", body, now);
    }

    @Override
    public FunctionPage parse(SourceConfig source, String pageToken, HttpReply reply) {
        String where = ScfProvider.ID + " source '" + source.name() + "' (function discovery)";
        Cursor c = Cursor.parse(pageToken);
        JsonNode response = ScfApi.response(where, reply);
        long total = response.path("TotalCount").asLong(0);
        List<FunctionRef> functions = new ArrayList<>();
        if (c.listingNamespaces) {
            List<String> namespaces = new ArrayList<>(c.namespaces);
            JsonNode list = response.path("Namespaces");
            list.forEach(n -> namespaces.add(n.path("Name").asText()));
            long next = c.offset + list.size();
            if (!list.isEmpty() && next < total) {
                return new FunctionPage(functions, new Cursor(true, next, namespaces).toToken());
            }
            return new FunctionPage(
                    functions, namespaces.isEmpty() ? null : new Cursor(false, 0, namespaces).toToken());
        }
        JsonNode list = response.path("Functions");
        list.forEach(f -> functions.add(
                new FunctionRef(c.namespaces.get(0), f.path("FunctionName").asText(), null)));
        long next = c.offset + list.size();
        if (!list.isEmpty() && next < total) {
            return new FunctionPage(functions, new Cursor(false, next, c.namespaces).toToken());
        }
        List<String> rest = c.namespaces.subList(1, c.namespaces.size());
        return new FunctionPage(functions, rest.isEmpty() ? null : new Cursor(false, 0, rest).toToken());
    }

    /** Where a discovery walk is. Namespace names cannot contain a tab, so tabs separate them. */
    private record Cursor(boolean listingNamespaces, long offset, List<String> namespaces) {
        static Cursor parse(String token) {
            if (token == null) {
                return new Cursor(true, 0, List.of());
            }
            String[] parts = token.split("\t", -1);
            List<String> namespaces = new ArrayList<>(List.of(parts).subList(2, parts.length));
            return new Cursor(parts[0].equals("ns"), Long.parseLong(parts[1]), namespaces);
        }

        String toToken() {
            return (listingNamespaces ? "ns" : "fn") + "\t" + offset
                    + (namespaces.isEmpty() ? "" : "\t" + String.join("\t", namespaces));
        }
    }
}
