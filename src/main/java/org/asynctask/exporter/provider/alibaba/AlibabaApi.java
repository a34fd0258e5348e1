package org.asynctask.exporter.provider.alibaba;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.ListTokens;
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

    /**
     * Reads a list answer; an error status becomes a classified {@link ProviderException}, an unreadable
     * body or item a retriable one naming {@code where}.
     *
     * @param item maps one element of {@code listField}; throws IllegalArgumentException when unusable
     */
    public static <T> ListAnswer<T> parseList(
            String where, HttpReply reply, String listField, Function<JsonNode, T> item) {
        return readList(where, reply, listField, ListTokens.asTree(item));
    }

    /**
     * {@link #parseList}, each element read straight from the body's tokens ({@link ListTokens}: a page of tasks,
     * issue 24).
     */
    public static <T> ListAnswer<T> readList(
            String where, HttpReply reply, String listField, ListTokens.ElementReader<T> item) {
        if (reply.status() / 100 != 2) {
            throw AlibabaErrors.toException(where, reply);
        }
        ListTokens.Answer<T> answer = ListTokens.read(where, reply, listField, Set.of("nextToken"), true, item);
        return new ListAnswer<>(answer.items(), endOrToken(answer.fields().get("nextToken")));
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
