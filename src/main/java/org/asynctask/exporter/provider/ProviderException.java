package org.asynctask.exporter.provider;

import java.time.Duration;

/**
 * A provider said no, or said something unreadable. Classified once, here at the HTTP edge, so the
 * retry policy never has to know a provider's error codes.
 */
public class ProviderException extends RuntimeException {

    /** What the poller should do about it. */
    public enum Kind {
        /** Transient (throttling, 5xx, malformed or truncated body): retry with back-off. */
        RETRIABLE,
        /** The page token is unknown or expired: restart the scan of the current window. */
        INVALID_PAGE_TOKEN,
        /** Needs a human (credentials, missing function, bad parameter): retrying as is will not help. */
        PERMANENT
    }

    private final Kind kind;
    private final int httpStatus;
    private final String code;
    private final String requestId;
    /** How long the provider asked us to wait (Retry-After), or null. */
    private final Duration retryAfter;

    public ProviderException(Kind kind, String where, int httpStatus, String code, String message, String requestId) {
        super(where + " answered HTTP " + httpStatus + (code == null ? "" : " " + code)
                + (message == null || message.isEmpty() ? "" : ": " + message)
                + (requestId == null ? "" : " (request id " + requestId + ")"));
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.code = code;
        this.requestId = requestId;
        this.retryAfter = null;
    }

    private ProviderException(ProviderException failure, Duration retryAfter) {
        super(failure.getMessage(), failure.getCause());
        this.kind = failure.kind;
        this.httpStatus = failure.httpStatus;
        this.code = failure.code;
        this.requestId = failure.requestId;
        this.retryAfter = retryAfter;
        setStackTrace(failure.getStackTrace());
    }

    public static ProviderException malformed(String where, int httpStatus, String detail) {
        return new ProviderException(Kind.RETRIABLE, where, httpStatus, "MalformedResponse", detail, null);
    }

    public Kind kind() {
        return kind;
    }

    public boolean retriable() {
        return kind != Kind.PERMANENT;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    public String requestId() {
        return requestId;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** The same failure with the answer's Retry-After (read at the HTTP edge, the same for every provider). */
    public ProviderException withRetryAfter(Duration wait) {
        return wait == null ? this : new ProviderException(this, wait);
    }
}
