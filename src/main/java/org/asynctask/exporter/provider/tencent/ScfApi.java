package org.asynctask.exporter.provider.tencent;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.ListTokens;
import org.asynctask.exporter.provider.ProviderException;
import org.asynctask.exporter.provider.ProviderException.Kind;
import org.asynctask.exporter.provider.SourceConfig;

/**
 * What every SCF API 3.0 call shares: {@code POST /} with a JSON body, {@code X-TC-*} headers, TC3
 * signature; answers wrapped in {@code Response}, errors as HTTP 200 with {@code Response.Error}.
 */
final class ScfApi {
    static final String VERSION = "2018-04-16";
    static final String SERVICE = "scf";
    static final String JSON_TYPE = "application/json; charset=utf-8";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** "Slow down / try later": everything else needs a fix (AuthFailure.*, ResourceNotFound.*, InvalidParameter*). */
    private static final Set<String> RETRIABLE = Set.of(
            "RequestLimitExceeded", "InternalError", "ResourceUnavailable", "FailedOperation.ServiceUnavailable");

    /** The fields of a list answer's {@code Response} read besides its list. */
    private static final Set<String> LIST_FIELDS = Set.of("TotalCount", "Error", "RequestId");

    private ScfApi() {}

    static String endpoint(SourceConfig source) {
        return source.endpointOr("https://scf.tencentcloudapi.com");
    }

    static HttpCall post(SourceConfig source, String action, Map<String, Object> body, Instant now) {
        String payload;
        try {
            payload = Json.MAPPER.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String base = endpoint(source);
        long timestamp = now.getEpochSecond();
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("content-type", JSON_TYPE);
        signed.put("host", URI.create(base).getRawAuthority());
        String signature = Tc3Signer.signature(
                Tc3Signer.canonicalRequest("POST", "", signed, payload),
                SERVICE,
                timestamp,
                source.credentials().secret().reveal());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", JSON_TYPE);
        headers.put("X-TC-Action", action);
        headers.put("X-TC-Version", VERSION);
        headers.put("X-TC-Timestamp", Long.toString(timestamp));
        headers.put("X-TC-Region", source.region());
        if (source.credentials().securityToken() != null) {
            headers.put("X-TC-Token", source.credentials().securityToken().reveal());
        }
        headers.put(
                "Authorization",
                Tc3Signer.authorization(source.credentials().id(), SERVICE, timestamp, signed, signature));
        return new HttpCall("POST", base + "/", headers, payload);
    }

    /** The {@code Response} object of a successful answer. */
    static JsonNode response(String where, HttpReply reply) {
        JsonNode body;
        try {
            body = reply.json();
        } catch (Exception e) {
            if (reply.status() / 100 != 2) {
                throw new ProviderException(
                        reply.status() == 429 || reply.status() >= 500 ? Kind.RETRIABLE : Kind.PERMANENT,
                        where,
                        reply.status(),
                        null,
                        "not a JSON answer",
                        reply.header("X-TC-RequestId"));
            }
            throw ProviderException.malformed(
                    where, reply.status(), "body is not JSON (" + e.getClass().getSimpleName() + ")");
        }
        JsonNode response = body == null ? null : body.get("Response");
        if (response == null || !response.isObject()) {
            throw ProviderException.malformed(where, reply.status(), "no Response object");
        }
        refuseOnError(where, reply, response.get("Error"), response.get("RequestId"));
        return response;
    }

    /**
     * The {@code EventList}-like list of a successful answer's {@code Response}, each element read straight from
     * the body's tokens ({@link ListTokens}: a page of events), and its {@code TotalCount}.
     */
    static <T> ListTokens.Answer<T> responseList(
            String where, HttpReply reply, String listField, ListTokens.ElementReader<T> item) {
        if (reply.status() / 100 != 2) {
            response(where, reply); // throws: classified by its Error, or by the status
        }
        ListTokens.Answer<T> answer =
                ListTokens.readWithin(where, reply, "Response", listField, LIST_FIELDS, false, item);
        if (answer == null) {
            throw ProviderException.malformed(where, reply.status(), "no Response object");
        }
        // An error tells more than an unusable list beside it.
        refuseOnError(
                where, reply, answer.fields().get("Error"), answer.fields().get("RequestId"));
        if (answer.unusable() != null) {
            throw answer.unusable();
        }
        return answer;
    }

    /** {@code Response.Error} (errors come as HTTP 200), or else an error status, as a classified exception. */
    private static void refuseOnError(String where, HttpReply reply, JsonNode error, JsonNode requestIdNode) {
        String requestId = requestIdNode == null ? null : requestIdNode.asText(null);
        if (error != null && error.isObject()) {
            String code = error.path("Code").asText("");
            boolean retriable = RETRIABLE.contains(code) || RETRIABLE.stream().anyMatch(c -> code.startsWith(c + "."));
            throw new ProviderException(
                    retriable ? Kind.RETRIABLE : Kind.PERMANENT,
                    where,
                    reply.status(),
                    code,
                    error.path("Message").asText(null),
                    requestId);
        }
        if (reply.status() / 100 != 2) {
            throw new ProviderException(
                    reply.status() >= 500 ? Kind.RETRIABLE : Kind.PERMANENT,
                    where,
                    reply.status(),
                    null,
                    null,
                    requestId);
        }
    }

    static String format(Instant t, ZoneId zone) {
        return TIME.format(t.atZone(zone));
    }

    /** {@code yyyy-MM-dd HH:mm:ss[.fraction]} in the source's zone; empty means "not yet". */
    static Instant parse(String text, ZoneId zone) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(text.trim().replace(' ', 'T'))
                    .atZone(zone)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time like 2020-12-01 08:35:00.000");
        }
    }
}
