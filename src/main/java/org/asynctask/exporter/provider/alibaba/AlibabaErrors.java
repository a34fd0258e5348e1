package org.asynctask.exporter.provider.alibaba;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.ProviderException;
import org.asynctask.exporter.provider.ProviderException.Kind;

/**
 * Reads an Alibaba FC error answer ({@code Code|code}, {@code Message|message},
 * {@code RequestId|RequestID}; FC 2.0 uses {@code ErrorCode}/{@code ErrorMessage} and the
 * {@code x-fc-request-id} header) and classifies it.
 */
public final class AlibabaErrors {
    /** Codes that mean "slow down / try later" whatever the HTTP status. */
    private static final Set<String> RETRIABLE_CODES = Set.of(
            "ResourceThrottled",
            "TooManyRequests",
            "Throttling",
            "Throttling.User",
            "ServiceUnavailable",
            "InternalServerError",
            "InternalError",
            "ResourceExhausted");

    private AlibabaErrors() {}

    public static ProviderException toException(String where, HttpReply reply) {
        String code = null;
        String message = null;
        String requestId = null;
        try {
            JsonNode body = reply.json();
            if (body != null && body.isObject()) {
                code = text(body, "Code", "code", "ErrorCode");
                message = text(body, "Message", "message", "ErrorMessage");
                requestId = text(body, "RequestId", "RequestID", "requestId");
            }
        } catch (Exception unreadable) {
            // An error page that is not JSON (proxy, load balancer) still gets classified by status.
        }
        if (requestId == null) {
            requestId = reply.header("x-acs-request-id") != null
                    ? reply.header("x-acs-request-id")
                    : reply.header("x-fc-request-id");
        }
        return new ProviderException(
                classify(reply.status(), code, message), where, reply.status(), code, message, requestId);
    }

    static Kind classify(int status, String code, String message) {
        if (status == 429 || status >= 500 || (code != null && RETRIABLE_CODES.contains(code))) {
            return Kind.RETRIABLE;
        }
        if (status == 400 && message != null && message.toLowerCase().contains("nexttoken")) {
            return Kind.INVALID_PAGE_TOKEN;
        }
        return Kind.PERMANENT;
    }

    private static String text(JsonNode node, String... names) {
        for (String n : names) {
            JsonNode v = node.get(n);
            if (v != null && !v.isNull()) {
                return v.asText();
            }
        }
        return null;
    }
}
