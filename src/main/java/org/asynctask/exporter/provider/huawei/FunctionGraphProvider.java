package org.asynctask.exporter.provider.huawei;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.asynctask.exporter.provider.FunctionDiscovery;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.ListTokens;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.ProviderException;
import org.asynctask.exporter.provider.ProviderException.Kind;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.SourceRules;
import org.asynctask.exporter.provider.StatusTable;
import org.asynctask.exporter.provider.TaskProvider;
import org.asynctask.exporter.task.Task;

/**
 * Huawei FunctionGraph ListFunctionAsyncInvocations (docs/providers.md §4), AK/SK-signed (§8.3) or with an
 * IAM token. Functions are written {@code package/name:version} (package {@code default} and version
 * {@code latest} when left out) and addressed by their URN. Every request carries
 * {@code query_begin_time}: without it the API silently shows only the last hour.
 */
public final class FunctionGraphProvider implements TaskProvider {
    public static final String ID = "huawei-functiongraph";
    static final DateTimeFormatter SDK_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** The fields of a list answer read besides its list: the paging. */
    private static final Set<String> LISTING_FIELDS = Set.of("next_marker", "count");
    /** Throttling and "try later" codes of FunctionGraph and the API gateway. */
    private static final Set<String> RETRIABLE_CODES = Set.of("APIGW.0308", "FSS.0429", "FSS.0500", "FSS.1000");

    private final StatusTable statuses = HuaweiStatuses.table();
    private final FunctionGraphDiscovery discovery = new FunctionGraphDiscovery();

    @Override
    public String id() {
        return ID;
    }

    /** FunctionGraph lists newest first, with no way to ask otherwise. */
    @Override
    public boolean scansAscending() {
        return false;
    }

    @Override
    public SourceRules sourceRules() {
        return SourceRules.of(maxPageSize(), listsByEndTime()).withAuthToken();
    }

    /** The API allows 500. */
    @Override
    public int maxPageSize() {
        return 500;
    }

    @Override
    public StatusTable statuses() {
        return statuses;
    }

    @Override
    public FunctionDiscovery discovery() {
        return discovery;
    }

    static final String CONTENT_TYPE = "application/json";

    /** The package and the version of a function named without them. */
    static final String DEFAULT_PACKAGE = "default";

    static final String DEFAULT_VERSION = "latest";

    static String urn(SourceConfig source, String pkg, String name, String version) {
        return "urn:fss:" + source.region() + ":" + source.account() + ":function:"
                + (pkg == null ? DEFAULT_PACKAGE : pkg) + ":" + name + ":"
                + (version == null ? DEFAULT_VERSION : version);
    }

    @Override
    public HttpCall request(SourceConfig source, PartitionKey partition, PageQuery query, Instant now) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("limit", Integer.toString(query.limit()));
        params.put("marker", query.pageToken() == null ? "0" : query.pageToken());
        if (query.isLookup()) {
            params.put("request_id", query.taskId());
            // The look-up still needs a window, or only the last hour is searched.
            params.put("query_begin_time", HuaweiTimes.floor(query.startedAt().minusSeconds(1)));
            params.put("query_end_time", HuaweiTimes.ceil(query.startedAt().plusSeconds(1)));
        } else {
            params.put("query_begin_time", HuaweiTimes.floor(query.from()));
            params.put("query_end_time", HuaweiTimes.ceil(query.to()));
        }
        if (query.status() != null) {
            params.put("status", query.status());
        }
        String urn = urn(source, partition.namespace(), partition.function(), partition.qualifier());
        return get(source, List.of("v2", source.account(), "fgs", "functions", urn, "async-invocations"), params, now);
    }

    /** A GET to {@code segments}, AK/SK-signed or with the source's IAM token. */
    static HttpCall get(SourceConfig source, List<String> segments, Map<String, String> params, Instant now) {
        String base = source.endpointOr("https://functiongraph." + source.region() + ".myhuaweicloud.com");
        String canonicalUri = HuaweiSigner.canonicalUri(segments.toArray(String[]::new));
        String path = canonicalUri.substring(0, canonicalUri.length() - 1);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Project-Id", source.account());
        // Mandatory in the API document; the official SDK sends it too.
        headers.put("Content-Type", CONTENT_TYPE);
        if (source.authToken() != null) {
            headers.put("X-Auth-Token", source.authToken().reveal());
        } else {
            Map<String, String> signed = new LinkedHashMap<>();
            signed.put("content-type", CONTENT_TYPE);
            signed.put("host", URI.create(base).getRawAuthority());
            signed.put("x-project-id", source.account());
            signed.put("x-sdk-date", SDK_DATE.format(now));
            if (source.credentials().securityToken() != null) {
                signed.put(
                        "x-security-token", source.credentials().securityToken().reveal());
            }
            String signature = HuaweiSigner.signature(
                    HuaweiSigner.canonicalRequest("GET", canonicalUri, params, signed, HuaweiSigner.EMPTY_BODY_SHA256),
                    signed.get("x-sdk-date"),
                    source.credentials().secret().reveal());
            signed.forEach((k, v) -> {
                if (!k.equals("host") && !k.equals("content-type")) {
                    headers.put(k, v);
                }
            });
            headers.put(
                    "Authorization",
                    HuaweiSigner.authorization(source.credentials().id(), signed, signature));
        }
        headers.put("Accept", "application/json");
        return new HttpCall("GET", base + path + "?" + HuaweiSigner.canonicalQuery(params), headers, null);
    }

    @Override
    public Page parse(SourceConfig source, PartitionKey partition, PageQuery query, HttpReply reply) {
        String where = ID + " source '" + source.name() + "' (" + partition.function() + ")";
        Listing<Task> listing = readList(where, reply, "invocations", t -> map(t, partition));
        return new Page(
                listing.items(),
                listing.nextMarker(query.limit(), query.pageToken() == null ? 0 : Integer.parseInt(query.pageToken())));
    }

    /** A marker/next_marker/count answer. */
    record Listing<T>(List<T> items, Integer nextMarker, Integer count) {
        /**
         * The end-of-data rule is undocumented (docs/providers.md §4.3). With a count, the page is the last
         * when next_marker reaches it: a short page before that is not the end (ending there would skip
         * the rest of the window). Without a count, any sign of the end ends it: an empty or short page,
         * or no next_marker. A next_marker that does not move forward ends it too, so a scan always ends.
         */
        String nextMarker(int limit, int marker) {
            if (items.isEmpty() || nextMarker == null || nextMarker <= marker) {
                return null;
            }
            boolean last = count != null ? nextMarker >= count : items.size() < limit;
            return last ? null : Integer.toString(nextMarker);
        }
    }

    /**
     * Reads a list answer, each element straight from the body's tokens ({@link ListTokens}); an error status
     * becomes a classified {@link ProviderException}, an unreadable body or element a retriable one.
     */
    static <T> Listing<T> readList(String where, HttpReply reply, String field, ListTokens.ElementReader<T> item) {
        if (reply.status() / 100 != 2) {
            throw error(where, reply);
        }
        ListTokens.Answer<T> answer = ListTokens.read(where, reply, field, LISTING_FIELDS, false, item);
        return new Listing<>(
                answer.items(),
                intOrNull(answer.fields().get("next_marker")),
                intOrNull(answer.fields().get("count")));
    }

    private static Integer intOrNull(JsonNode n) {
        return n != null && n.canConvertToInt() ? n.asInt() : null;
    }

    /** {@code {error_code, error_msg}}; FSS.* from FunctionGraph, APIGW.* from the gateway (e.g. bad signature, 401). */
    static ProviderException error(String where, HttpReply reply) {
        String code = null;
        String message = null;
        String requestId = reply.header("X-Request-Id");
        try {
            JsonNode body = reply.json();
            if (body != null && body.isObject()) {
                code = body.hasNonNull("error_code") ? body.get("error_code").asText() : null;
                message = body.hasNonNull("error_msg") ? body.get("error_msg").asText() : null;
                if (requestId == null && body.hasNonNull("request_id")) {
                    requestId = body.get("request_id").asText();
                }
            }
        } catch (Exception unreadable) {
            // classified by status alone
        }
        Kind kind = reply.status() == 429 || reply.status() >= 500 || (code != null && RETRIABLE_CODES.contains(code))
                ? Kind.RETRIABLE
                : Kind.PERMANENT;
        return new ProviderException(kind, where, reply.status(), code, message, requestId);
    }

    /** One invocation, read from its tokens; a value that is missing, null or not text reads as a tree's {@code asText}. */
    Task map(JsonParser p, PartitionKey partition) throws IOException {
        String id = "";
        String status = "";
        String start = null;
        String end = null;
        String errorCode = "";
        String errorMessage = "";
        if (p.currentToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "request_id" -> id = orEmpty(ListTokens.text(p));
                    case "status" -> status = orEmpty(ListTokens.text(p));
                    case "start_time" -> start = ListTokens.text(p);
                    case "end_time" -> end = ListTokens.text(p);
                    case "error_code" -> errorCode = orEmpty(ListTokens.text(p));
                    case "error_message" -> errorMessage = orEmpty(ListTokens.text(p));
                    default -> p.skipChildren();
                }
            }
        } else {
            p.skipChildren();
        }
        if (id.isEmpty() || status.isEmpty()) {
            throw new IllegalArgumentException("an invocation has no request_id or status");
        }
        Instant started = HuaweiTimes.parse(start);
        if (started == null) {
            throw new IllegalArgumentException("invocation " + id + " has no start_time");
        }
        return Task.builder()
                // The package and version the URN names, also when the configuration left them out.
                .location(
                        ID,
                        partition.source(),
                        partition.account(),
                        partition.region(),
                        partition.namespace() == null ? DEFAULT_PACKAGE : partition.namespace(),
                        partition.function(),
                        partition.qualifier() == null ? DEFAULT_VERSION : partition.qualifier())
                .taskId(id)
                .requestId(id)
                .status(statuses.normalize(status), status)
                .startedAt(started)
                .endedAt(HuaweiTimes.parse(end))
                // error_code 0 means "no error"
                .errorCode(errorCode.isEmpty() || errorCode.equals("0") ? null : errorCode)
                .errorMessage(errorMessage.isEmpty() ? null : errorMessage)
                .build();
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
