package org.asynctask.exporter.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.function.ToIntFunction;
import org.asynctask.exporter.provider.AccessKey;

/**
 * The whole configuration, read from one properties file. Keys under {@code exporter.} are ours and
 * are all validated (an unknown one is an error: it is almost always a typo); keys under
 * {@code camel.} are handed to Camel Main untouched.
 *
 * <p>Global keys:
 * <ul>
 * <li>{@code exporter.sink} — where events go: {@code file} (default).</li>
 * <li>{@code exporter.output.dir} — root of the event files (default {@code data/events}).</li>
 * <li>{@code exporter.checkpoint.dir} — checkpoint directory (default {@code data/checkpoints}).</li>
 * <li>{@code exporter.poll-threads} — partitions polled at the same time (default 4).</li>
 * <li>{@code exporter.http.connect-timeout} — TCP connect timeout of provider calls (default 5s).</li>
 * <li>{@code exporter.http.response-timeout} — wait for a provider's response (default 30s).</li>
 * <li>{@code exporter.retry.max-backoff} — longest wait before retrying a failed poll (default 5m).</li>
 * </ul>
 * Source keys: {@link SourceKeys}.
 */
public record ExporterConfig(List<SourceConfig> sources, String sink, Path outputDir, Path checkpointDir,
                             int pollThreads, Duration connectTimeout, Duration responseTimeout,
                             Duration maxBackoff, Map<String, String> camelProperties) {

    public static final String PREFIX = "exporter.";
    private static final String SOURCE_PREFIX = "exporter.source.";
    private static final List<String> GLOBAL_KEYS = List.of("exporter.sink", "exporter.output.dir",
            "exporter.checkpoint.dir", "exporter.poll-threads", "exporter.http.connect-timeout",
            "exporter.http.response-timeout", "exporter.retry.max-backoff");

    public ExporterConfig {
        sources = List.copyOf(sources);
        camelProperties = Map.copyOf(camelProperties);
    }

    /**
     * @param maxPageSize the largest page size of a provider id, or -1 for an unknown provider
     */
    public static ExporterConfig load(Path file, ToIntFunction<String> maxPageSize) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException("--config", "cannot read " + file + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
        Map<String, String> map = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
        return parse(map, System::getenv, maxPageSize);
    }

    public static ExporterConfig parse(Map<String, String> raw, UnaryOperator<String> env, ToIntFunction<String> maxPageSize) {
        ConfigValues values = new ConfigValues(raw, env);
        Map<String, Map<String, String>> sourceBlocks = new TreeMap<>();
        Map<String, String> camel = new LinkedHashMap<>();
        for (String key : new TreeSet<>(raw.keySet())) {
            if (key.startsWith(SOURCE_PREFIX)) {
                String rest = key.substring(SOURCE_PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot <= 0) {
                    throw new ConfigException(key, "expected exporter.source.<name>.<key>");
                }
                String sub = rest.substring(dot + 1);
                if (!SourceKeys.ALL.contains(sub)) {
                    throw new ConfigException(key, "unknown source key '" + sub + "' (known: " + String.join(", ", SourceKeys.ALL) + ")");
                }
                sourceBlocks.computeIfAbsent(rest.substring(0, dot), n -> new LinkedHashMap<>()).put(sub, raw.get(key));
            } else if (key.startsWith(PREFIX)) {
                if (!GLOBAL_KEYS.contains(key)) {
                    throw new ConfigException(key, "unknown key (known: " + String.join(", ", GLOBAL_KEYS)
                            + ", exporter.source.<name>.<key>)");
                }
            } else if (key.startsWith("camel.")) {
                camel.put(key, raw.get(key));
            }
        }
        if (sourceBlocks.isEmpty()) {
            throw new ConfigException("exporter.source.<name>.provider", "no source is configured");
        }
        List<SourceConfig> sources = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> block : sourceBlocks.entrySet()) {
            sources.add(parseSource(block.getKey(), new ConfigValues(prefixed(block.getKey(), block.getValue()), env),
                    maxPageSize));
        }
        String sink = values.string("exporter.sink", "file");
        if (!sink.equals("file")) {
            throw new ConfigException("exporter.sink", "'" + sink + "' is not a sink (known: file)");
        }
        return new ExporterConfig(sources, sink,
                Path.of(values.string("exporter.output.dir", "data/events")),
                Path.of(values.string("exporter.checkpoint.dir", "data/checkpoints")),
                values.integer("exporter.poll-threads", 4, 1, 256),
                positive(values, "exporter.http.connect-timeout", Duration.ofSeconds(5)),
                positive(values, "exporter.http.response-timeout", Duration.ofSeconds(30)),
                positive(values, "exporter.retry.max-backoff", Duration.ofMinutes(5)),
                camel);
    }

    private static Map<String, String> prefixed(String name, Map<String, String> block) {
        Map<String, String> m = new LinkedHashMap<>();
        block.forEach((k, v) -> m.put(SOURCE_PREFIX + name + "." + k, v));
        return m;
    }

    private static SourceConfig parseSource(String name, ConfigValues v, ToIntFunction<String> maxPageSize) {
        String p = SOURCE_PREFIX + name + ".";
        String provider = v.required(p + SourceKeys.PROVIDER, "the provider id, e.g. alibaba-fc3");
        int max = maxPageSize.applyAsInt(provider);
        if (max < 0) {
            throw new ConfigException(p + SourceKeys.PROVIDER, "unknown provider '" + provider + "' (known: alibaba-fc3)");
        }
        List<FunctionRef> functions = new ArrayList<>();
        for (String f : v.required(p + SourceKeys.FUNCTIONS, "comma-separated function names").split(",")) {
            if (!f.isBlank()) {
                functions.add(FunctionRef.parse(p + SourceKeys.FUNCTIONS, f));
            }
        }
        if (functions.isEmpty()) {
            throw new ConfigException(p + SourceKeys.FUNCTIONS, "lists no function");
        }
        String endpoint = v.string(p + SourceKeys.ENDPOINT, null);
        if (endpoint != null && !endpoint.matches("https?://[^/\\s]+/?")) {
            throw new ConfigException(p + SourceKeys.ENDPOINT, "'" + endpoint + "' is not a base URL like https://host[:port]");
        }
        AccessKey credentials = new AccessKey(
                v.required(p + SourceKeys.ACCESS_KEY_ID, "the access key id"),
                v.secret(p + SourceKeys.ACCESS_KEY_SECRET, true),
                v.secret(p + SourceKeys.SECURITY_TOKEN, false));
        ScanSettings scan = new ScanSettings(
                positive(v, p + SourceKeys.INITIAL_LOOKBACK, Duration.ofHours(1)),
                v.duration(p + SourceKeys.SAFETY_LAG, Duration.ofSeconds(10)),
                v.duration(p + SourceKeys.RESCAN_WINDOW, Duration.ofMinutes(2)),
                positive(v, p + SourceKeys.MAX_OPEN_AGE, Duration.ofHours(48)),
                v.integer(p + SourceKeys.MAX_LOOKUPS_PER_POLL, 50, 0, 100_000),
                v.integer(p + SourceKeys.MAX_PAGES_PER_POLL, 50, 1, 100_000));
        return new SourceConfig(name, provider,
                v.required(p + SourceKeys.ACCOUNT, "the account id"),
                v.required(p + SourceKeys.REGION, "the region id, e.g. cn-hangzhou"),
                endpoint, functions,
                positive(v, p + SourceKeys.INTERVAL, SourceKeys.INTERVAL_DEFAULT),
                v.integer(p + SourceKeys.PAGE_SIZE, Math.min(100, max), 1, max),
                credentials,
                v.bool(p + SourceKeys.INCLUDE_PAYLOAD, false),
                scan);
    }

    private static Duration positive(ConfigValues v, String key, Duration def) {
        Duration d = v.duration(key, def);
        if (d.isZero()) {
            throw new ConfigException(key, "must be more than 0");
        }
        return d;
    }
}
