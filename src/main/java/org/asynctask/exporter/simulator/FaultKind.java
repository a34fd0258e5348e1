package org.asynctask.exporter.simulator;

import java.util.Arrays;
import java.util.Locale;

/**
 * The faults a simulator can inject, by the name used in {@code simulate --faults}. The first six
 * happen on the wire, to any request; the last three change what a list page contains.
 */
public enum FaultKind {
    /** An HTTP 5xx answer in the provider's error format (Tencent: InternalError inside HTTP 200). */
    SERVER_ERROR(true),
    /** The provider's throttling answer: 429 with {@code Retry-After} (Alibaba, Huawei); RequestLimitExceeded (Tencent). */
    THROTTLE(true),
    /** The answer comes only after the slow delay ({@code slow-ms}); above the client's response timeout, it times out. */
    SLOW(true),
    /** The connection is closed without an answer. */
    RESET(true),
    /** The headers promise the whole body, then the connection closes half-way. */
    TRUNCATED(true),
    /** HTTP 200 with a complete body that is not valid JSON (cut JSON, or a proxy's HTML page). */
    MALFORMED(true),
    /** A page token in the middle of a scan is refused as unknown or expired (token APIs: FC 3.0, FC 2.0). */
    PAGE_TOKEN(false),
    /** A follow-up page starts with the last task of the page before (the list shifted by one). */
    DUPLICATE(false),
    /** A page leaves out its last task, which comes first on the next page (a short page that is not the end). */
    MISSING(false);

    final boolean wire;

    FaultKind(boolean wire) {
        this.wire = wire;
    }

    /** The name in {@code --faults}: {@code server-error}, {@code page-token}, … */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static FaultKind of(String id) {
        return Arrays.stream(values())
                .filter(k -> k.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown fault '" + id + "' (known: all, "
                        + String.join(
                                ", ", Arrays.stream(values()).map(FaultKind::id).toList()) + ")"));
    }
}
