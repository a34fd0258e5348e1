package org.asynctask.exporter.simulator;

import java.util.Map;

/**
 * A simulated API's refusal: HTTP status, the API's error code and message, and the seconds of a
 * {@code Retry-After} header (0: none). No stack trace: it is an answer.
 */
final class Refused extends Exception {
    final int status;
    final String code;
    final int retryAfterSeconds;

    Refused(int status, String code, String message) {
        this(status, code, message, 0);
    }

    Refused(int status, String code, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The response headers: the request id header, and Retry-After when there is one. */
    Map<String, String> headers(String requestIdHeader, String requestId) {
        return retryAfterSeconds > 0
                ? Map.of(requestIdHeader, requestId, "Retry-After", Integer.toString(retryAfterSeconds))
                : Map.of(requestIdHeader, requestId);
    }
}
