package org.asynctask.exporter.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.asynctask.exporter.provider.DiscoverySettings;
import org.asynctask.exporter.provider.FunctionRef;
import org.asynctask.exporter.provider.ProviderCatalog;
import org.asynctask.exporter.provider.ScanSettings;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.SourceRules;
import org.asynctask.exporter.secret.AccessKey;
import org.asynctask.exporter.secret.Secret;

/** One source block ({@code exporter.source.<name>.*}) into a {@link SourceConfig}, by its provider's rules. */
final class SourceParser {
    private SourceParser() {}

    static SourceConfig parse(String name, ConfigValues v, ProviderCatalog providers) {
        String p = ExporterConfig.SOURCE_PREFIX + name + ".";
        String provider = v.required(p + SourceKeys.PROVIDER, "the provider id, e.g. alibaba-fc3");
        SourceRules rules = providers.rules(provider);
        if (rules == null) {
            throw new ConfigException(
                    p + SourceKeys.PROVIDER,
                    "unknown provider '" + provider + "' (known: " + String.join(", ", providers.ids()) + ")");
        }
        int max = rules.maxPageSize();
        DiscoverySettings discovery = new DiscoverySettings(
                v.bool(p + SourceKeys.DISCOVER, false),
                v.positiveDuration(p + SourceKeys.DISCOVERY_INTERVAL, Duration.ofMinutes(10)),
                list(v.string(p + SourceKeys.INCLUDE, "")),
                list(v.string(p + SourceKeys.EXCLUDE, "")));
        List<FunctionRef> functions = new ArrayList<>();
        String listed = discovery.enabled()
                ? v.string(p + SourceKeys.FUNCTIONS, "")
                : v.required(p + SourceKeys.FUNCTIONS, "comma-separated function names, or discover=true");
        for (String f : listed.split(",")) {
            if (!f.isBlank()) {
                FunctionRef ref;
                try {
                    ref = FunctionRef.parse(f);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(p + SourceKeys.FUNCTIONS, e.getMessage());
                }
                if (rules.namespaced() && ref.namespace() == null) {
                    throw new ConfigException(
                            p + SourceKeys.FUNCTIONS, "'" + f.trim() + "' needs its service: write service/function");
                }
                functions.add(ref);
            }
        }
        if (functions.isEmpty() && !discovery.enabled()) {
            throw new ConfigException(p + SourceKeys.FUNCTIONS, "lists no function");
        }
        String signature = v.string(p + SourceKeys.SIGNATURE, null);
        if (signature != null && rules.signatures().isEmpty()) {
            throw new ConfigException(
                    p + SourceKeys.SIGNATURE,
                    "only "
                            + String.join(
                                    ", ",
                                    providers.idsWhere(r -> !r.signatures().isEmpty()))
                            + " sources choose a signing scheme");
        }
        if (signature != null && !rules.signatures().contains(signature)) {
            throw new ConfigException(
                    p + SourceKeys.SIGNATURE,
                    "'" + signature + "' is not one of " + String.join(", ", new TreeSet<>(rules.signatures())));
        }
        String endpoint = v.string(p + SourceKeys.ENDPOINT, null);
        if (endpoint != null && !endpoint.matches("https?://[^/\\s]+/?")) {
            throw new ConfigException(
                    p + SourceKeys.ENDPOINT, "'" + endpoint + "' is not a base URL like https://host[:port]");
        }
        Secret authToken = rules.authToken() ? v.secret(p + SourceKeys.AUTH_TOKEN, false) : null;
        if (authToken == null && v.has(p + SourceKeys.AUTH_TOKEN)) {
            throw new ConfigException(
                    p + SourceKeys.AUTH_TOKEN,
                    "only " + String.join(", ", providers.idsWhere(SourceRules::authToken)) + " sources use a token");
        }
        if (!rules.timeZone() && v.has(p + SourceKeys.TIME_ZONE)) {
            throw new ConfigException(
                    p + SourceKeys.TIME_ZONE,
                    "only " + String.join(", ", providers.idsWhere(SourceRules::timeZone))
                            + " sources read time strings without a zone");
        }
        AccessKey credentials = authToken != null && !v.has(p + SourceKeys.ACCESS_KEY_ID)
                ? null
                : new AccessKey(
                        v.required(
                                p + SourceKeys.ACCESS_KEY_ID,
                                "the access key id" + (rules.authToken() ? ", or auth-token instead" : "")),
                        v.secret(p + SourceKeys.ACCESS_KEY_SECRET, true),
                        v.secret(p + SourceKeys.SECURITY_TOKEN, false));
        Duration interval = v.positiveDuration(p + SourceKeys.INTERVAL, SourceKeys.INTERVAL_DEFAULT);
        // Where the API lists the tasks that ended in a time range (SCF), the checks in turns are only its safety
        // net (an end the API shows late): they can be rarer, which saves most of its requests.
        Duration checkDefault = rules.oldTaskCheckDefault();
        Duration oldTaskCheckInterval = v.positiveDuration(
                p + SourceKeys.OLD_TASK_CHECK_INTERVAL, interval.compareTo(checkDefault) > 0 ? interval : checkDefault);
        if (oldTaskCheckInterval.compareTo(interval) < 0) {
            throw new ConfigException(
                    p + SourceKeys.OLD_TASK_CHECK_INTERVAL,
                    "is shorter than interval (" + Durations.format(interval)
                            + "): a task cannot be checked more often than it is polled");
        }
        ScanSettings scan = new ScanSettings(
                v.positiveDuration(p + SourceKeys.INITIAL_LOOKBACK, Duration.ofHours(1)),
                v.duration(p + SourceKeys.SAFETY_LAG, Duration.ofSeconds(10)),
                v.duration(p + SourceKeys.RESCAN_WINDOW, Duration.ofMinutes(2)),
                v.positiveDuration(p + SourceKeys.MAX_OPEN_AGE, Duration.ofHours(48)),
                v.integer(p + SourceKeys.MAX_LOOKUPS_PER_POLL, 50, 0, 100_000),
                v.integer(p + SourceKeys.MAX_PAGES_PER_POLL, 50, 1, 100_000),
                (int) Math.max(1, oldTaskCheckInterval.toMillis() / interval.toMillis()),
                v.bool(p + SourceKeys.ADAPTIVE, true));
        return new SourceConfig(
                name,
                provider,
                v.required(p + SourceKeys.ACCOUNT, "the account id"),
                v.required(p + SourceKeys.REGION, "the region id, e.g. cn-hangzhou"),
                endpoint,
                functions,
                interval,
                v.integer(p + SourceKeys.PAGE_SIZE, Math.min(100, max), 1, max),
                credentials,
                v.bool(p + SourceKeys.INCLUDE_PAYLOAD, false),
                scan,
                signature,
                discovery,
                authToken,
                v.integer(p + SourceKeys.RATE_LIMIT, -1, 0, 100_000),
                zone(v, p + SourceKeys.TIME_ZONE));
    }

    private static ZoneId zone(ConfigValues v, String key) {
        String zone = v.string(key, "Asia/Shanghai");
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new ConfigException(key, "'" + zone + "' is not a time zone (e.g. Asia/Shanghai, UTC, +08:00)");
        }
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
