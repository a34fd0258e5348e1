package org.asynctask.exporter.provider.alibaba;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.ProviderException;
import org.asynctask.exporter.secret.AccessKey;

/** What the Alibaba FC APIs share: ACS3-signed GETs and JSON list answers with a {@code nextToken}. */
public final class AlibabaApi {
    private AlibabaApi() {}

    /**
     * The list parameters both FC versions take (§1.1, §2.1): a start-time window in ascending order,
     * or a look-up by id prefix ({@code prefixParam}: FC 3.0 {@code prefix}, FC 2.0 {@code invocationIdPrefix}).
     */
    public static Map<String, String> listParams(
            PageQuery query, PartitionKey partition, boolean includePayload, String prefixParam) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("limit", Integer.toString(query.limit()));
        if (query.isLookup()) {
            // The id prefix finds one task without a time window, however old it is.
            params.put(prefixParam, query.taskId());
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
        if (includePayload) {
            params.put("includePayload", "true");
        }
        return params;
    }

    /** A GET signed with ACS3-HMAC-SHA256 (§8.1). */
    public static HttpCall acs3Get(
            String base,
            String encodedPath,
            Map<String, String> query,
            String action,
            String version,
            AccessKey key,
            Instant now) {
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("host", URI.create(base).getRawAuthority());
        signed.put("x-acs-action", action);
        signed.put("x-acs-version", version);
        signed.put("x-acs-date", now.truncatedTo(ChronoUnit.SECONDS).toString());
        signed.put("x-acs-signature-nonce", UUID.randomUUID().toString().replace("-", ""));
        signed.put("x-acs-content-sha256", Acs3Signer.EMPTY_BODY_SHA256);
        if (key.securityToken() != null) {
            signed.put("x-acs-security-token", key.securityToken().reveal());
        }
        String authorization = Acs3Signer.authorization(
                "GET",
                encodedPath,
                query,
                signed,
                Acs3Signer.EMPTY_BODY_SHA256,
                key.id(),
                key.secret().reveal());
        Map<String, String> headers = new LinkedHashMap<>(signed);
        // The HTTP client sets Host from the URL; it was signed with exactly that authority.
        headers.remove("host");
        headers.put("Authorization", authorization);
        headers.put("Accept", "application/json");
        return new HttpCall("GET", base + encodedPath + "?" + Acs3Signer.canonicalQuery(query), headers, null);
    }

    /**
     * A GET signed with the FC signature (§8.2): {@code Date} and the {@code x-fc-*} headers over the
     * decoded path. No Content-Type is sent on a GET, so none is signed.
     */
    public static HttpCall fcGet(
            String base,
            String encodedPath,
            String decodedPath,
            Map<String, String> query,
            String account,
            AccessKey key,
            Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        String date = FcSigner.date(now);
        headers.put("Date", date);
        headers.put("x-fc-account-id", account);
        if (key.securityToken() != null) {
            headers.put("x-fc-security-token", key.securityToken().reveal());
        }
        String stringToSign = FcSigner.stringToSign("GET", "", "", date, headers, decodedPath);
        headers.put(
                "Authorization",
                FcSigner.authorization(key.id(), stringToSign, key.secret().reveal()));
        headers.put("Accept", "application/json");
        return new HttpCall(
                "GET",
                base + encodedPath + (query.isEmpty() ? "" : "?" + Acs3Signer.canonicalQuery(query)),
                headers,
                null);
    }

    /** A parsed list answer: its items and the token of the next page (null at the end). */
    public record ListAnswer<T>(List<T> items, String nextToken) {}

    /** Reads one element of a list, the parser at its first token, up to its last. */
    @FunctionalInterface
    public interface ElementReader<T> {
        /** @throws IllegalArgumentException when the element is unusable */
        T read(JsonParser element) throws IOException;
    }

    /**
     * Reads a list answer; an error status becomes a classified {@link ProviderException}, an unreadable
     * body or item a retriable one naming {@code where}.
     *
     * @param item maps one element of {@code listField}; throws IllegalArgumentException when unusable
     */
    public static <T> ListAnswer<T> parseList(
            String where, HttpReply reply, String listField, Function<JsonNode, T> item) {
        return readList(where, reply, listField, element -> {
            JsonNode node = Json.MAPPER.readTree(element);
            return item.apply(node == null ? NullNode.getInstance() : node);
        });
    }

    /**
     * {@link #parseList}, each element read straight from the body's tokens, with no tree of the page in
     * between (a page of tasks, issue 24). The answer is the same: where a field comes twice the last
     * counts, as in a tree.
     */
    public static <T> ListAnswer<T> readList(String where, HttpReply reply, String listField, ElementReader<T> item) {
        if (reply.status() / 100 != 2) {
            throw AlibabaErrors.toException(where, reply);
        }
        List<T> items = new ArrayList<>();
        JsonNode nextToken = null;
        byte[] body = reply.content() == null ? new byte[0] : reply.content();
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ProviderException.malformed(where, reply.status(), "body is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals(listField)) {
                    items.clear();
                    if (value == JsonToken.START_ARRAY) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            items.add(element(where, reply, item, p));
                        }
                    } else if (value != JsonToken.VALUE_NULL) {
                        throw ProviderException.malformed(where, reply.status(), "'" + listField + "' is not an array");
                    }
                } else if (field.equals("nextToken")) {
                    nextToken = Json.MAPPER.readTree(p);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw ProviderException.malformed(
                    where, reply.status(), "body is not JSON (" + e.getClass().getSimpleName() + ")");
        }
        return new ListAnswer<>(items, endOrToken(nextToken));
    }

    private static <T> T element(String where, HttpReply reply, ElementReader<T> item, JsonParser p)
            throws IOException {
        try {
            return item.read(p);
        } catch (IllegalArgumentException e) {
            throw ProviderException.malformed(where, reply.status(), e.getMessage());
        }
    }

    /** Empty, absent, null and the literal {@code ""} of the FC 2.0 document sample all mean "no more pages". */
    static String endOrToken(JsonNode token) {
        if (token == null || token.isNull()) {
            return null;
        }
        String t = token.asText();
        return t.isEmpty() || t.equals("\"\"") ? null : t;
    }
}
