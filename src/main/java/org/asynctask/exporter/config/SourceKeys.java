package org.asynctask.exporter.config;

import java.time.Duration;

/**
 * The names the parser reads the keys of one source block by, {@code exporter.source.<name>.<key>}, with their
 * defaults. The keys a source may have, and what each means, are {@link ConfigKeys}'s.
 */
final class SourceKeys {
    private SourceKeys() {}

    /** Required. Provider id: {@code alibaba-fc3}. */
    static final String PROVIDER = "provider";
    /** Required. Account id (Alibaba: the main account UID; part of the default endpoint). */
    static final String ACCOUNT = "account";
    /** Required. Region id, e.g. {@code cn-hangzhou}. */
    static final String REGION = "region";
    /** Required. Comma-separated functions: {@code name}, {@code name:qualifier}, {@code namespace/name[:qualifier]}. */
    static final String FUNCTIONS = "functions";
    /** Optional. Base URL; default is the provider's public endpoint for account and region. */
    static final String ENDPOINT = "endpoint";
    /** Poll interval of each function of the source. Default 30s. */
    static final String INTERVAL = "interval";

    static final Duration INTERVAL_DEFAULT = Duration.ofSeconds(30);
    /** Page size; default 100, at most the provider's maximum. */
    static final String PAGE_SIZE = "page-size";
    /** Required. Access key id (not secret, may be literal or {{env:…}}). */
    static final String ACCESS_KEY_ID = "access-key-id";
    /** Required. Access key secret: {{env:…}}, or {@code access-key-secret-file} = path of a mounted file. */
    static final String ACCESS_KEY_SECRET = "access-key-secret";
    /** Optional. STS security token: {{env:…}} or {@code security-token-file}. */
    static final String SECURITY_TOKEN = "security-token";
    /** Ask for and publish task payloads and results. Default false: payloads can hold personal data. */
    static final String INCLUDE_PAYLOAD = "include-payload";
    /** First scan of a new partition starts this far back. Default 1h. */
    static final String INITIAL_LOOKBACK = "initial-lookback";
    /** Watermark stays this far behind each scan's start. Default 10s. */
    static final String SAFETY_LAG = "safety-lag";
    /** Open tasks younger than this may hold the next scan back (where dense); the others are checked by status. Default 2m. */
    static final String RESCAN_WINDOW = "rescan-window";
    /** Tasks open longer than this are dropped from tracking. Default 48h. */
    static final String MAX_OPEN_AGE = "max-open-age";
    /** Look-ups by id, per poll, of old open tasks that left their status. Default 50. */
    static final String MAX_LOOKUPS_PER_POLL = "max-lookups-per-poll";
    /**
     * Open tasks older than rescan-window are checked by status in turns, so that each is checked at least
     * this often; a poll checks its share. Default 1m, 10m for tencent-scf, whose ends are listed by end time
     * on every poll (or interval, if longer). Thousands of tasks running
     * for hours would otherwise cost their whole listing on every poll. Set it to the interval to check all
     * of them on every poll.
     */
    static final String OLD_TASK_CHECK_INTERVAL = "old-task-check-interval";
    /** Pages per poll before yielding. Default 50. */
    static final String MAX_PAGES_PER_POLL = "max-pages-per-poll";
    /** Catching up (a poll stopped at max-pages-per-poll): poll again at once, within the rate limit. Default true; false waits the interval. */
    static final String ADAPTIVE = "adaptive";

    /** FC 2.0: {@code acs3} or {@code fc}; default acs3 for *.aliyuncs.com endpoints, fc otherwise. */
    static final String SIGNATURE = "signature";
    /** Find the functions to poll instead of listing them (FC 2.0). Default false. */
    static final String DISCOVER = "discover";
    /** How often discovery runs again. Default 10m. */
    static final String DISCOVERY_INTERVAL = "discovery-interval";
    /** Comma-separated glob patterns on {@code namespace/function} that discovery keeps (default: all). */
    static final String INCLUDE = "include";
    /** Comma-separated glob patterns on {@code namespace/function} that discovery skips. */
    static final String EXCLUDE = "exclude";

    /** Huawei: an IAM token sent as X-Auth-Token instead of AK/SK signing: {{env:…}} or {@code auth-token-file}. */
    static final String AUTH_TOKEN = "auth-token";

    /** Requests per second for all sources with the same credentials; default the provider's (Tencent 20), 0 = none. */
    static final String RATE_LIMIT = "rate-limit";
    /** Tencent: the zone of the API's time strings (undocumented). Default Asia/Shanghai. */
    static final String TIME_ZONE = "time-zone";
}
