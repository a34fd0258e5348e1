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
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.asynctask.exporter.alert.AlertSettings;
import org.asynctask.exporter.config.ConfigKeys.Scope;
import org.asynctask.exporter.kafka.KafkaSettings;
import org.asynctask.exporter.provider.ProviderCatalog;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.sink.ArchiveSettings;

/**
 * The whole configuration, read from one properties file. Keys under {@code exporter.} are ours and
 * are all validated (an unknown one is an error: it is almost always a typo); keys under
 * {@code camel.} are handed to Camel Main untouched.
 *
 * <p>Global keys:
 * <ul>
 * <li>{@code exporter.sink} — where events go: {@code file} (default), {@code kafka} or {@code camel}.</li>
 * <li>{@code exporter.sink.uri} — with {@code camel}: the Camel endpoint URI every event is sent to.</li>
 * <li>{@code exporter.sink.batch} — with {@code camel}: one message per batch, a list of events (default false).</li>
 * <li>{@code exporter.output.dir} — root of the event files (default {@code data/events}).</li>
 * <li>{@code exporter.output.rotate} — a new event file every {@code day} (default) or {@code hour} (UTC).</li>
 * <li>{@code exporter.output.max-file-size} — also a new file once one would pass this size ({@code 100MB},
 *     {@code 512KB}, bytes; default 0 = no limit).</li>
 * <li>{@code exporter.output.gzip} — compress closed event files to {@code .jsonl.gz} (default false).</li>
 * <li>{@code exporter.output.retention} — delete closed event files older than this (e.g. {@code 30d}; default: keep).</li>
 * <li>{@code exporter.checkpoint.store} — {@code file} (default) or {@code kafka} (a compacted topic).</li>
 * <li>{@code exporter.checkpoint.dir} — checkpoint directory of the file store (default {@code data/checkpoints}).</li>
 * <li>{@code exporter.checkpoint.topic} — topic of the Kafka store (default {@code async-tasks.checkpoints}).</li>
 * <li>{@code exporter.delivery} — {@code at-least-once} (default) or {@code exactly-once} (needs the Kafka sink and
 *     the Kafka checkpoint store: a page's events and its checkpoint are one Kafka transaction).</li>
 * <li>{@code exporter.kafka.bootstrap-servers} — required when Kafka is used.</li>
 * <li>{@code exporter.kafka.topic} — events topic (default {@code async-tasks.status-changes}).</li>
 * <li>{@code exporter.kafka.alert-topic} — also receives events in an alert status (default: none).</li>
 * <li>{@code exporter.kafka.alert-statuses} — default {@code FAILED,EXPIRED,INVALID,DISCARDED}.</li>
 * <li>{@code exporter.kafka.cloudevents-mode} — {@code structured} (default) or {@code binary} ({@code ce_*} headers).</li>
 * <li>{@code exporter.kafka.compression} — {@code lz4} (default), {@code zstd}, {@code snappy}, {@code gzip}, {@code none}.</li>
 * <li>{@code exporter.kafka.delivery-timeout} — how long to wait for the broker before a poll fails (default 30s).</li>
 * <li>{@code exporter.kafka.transactional-id} — exactly-once: stable id of this exporter instance
 *     (default {@code async-task-exporter}); a restart with the same id fences the old one.</li>
 * <li>{@code exporter.group.id} — group mode: exporters with the same id share the functions (Kafka store).</li>
 * <li>{@code exporter.group.shards} — group mode: how many shards (checkpoint topic partitions; default 12).</li>
 * <li>{@code exporter.kafka.properties.<name>} — any Kafka client property (security, SASL…), passed as is.</li>
 * <li>{@code exporter.poll-threads} — partitions polled at the same time (default 4).</li>
 * <li>{@code exporter.http.connect-timeout} — TCP connect timeout of provider calls (default 5s).</li>
 * <li>{@code exporter.http.response-timeout} — wait for a provider's response (default 30s).</li>
 * <li>{@code exporter.commit.max-events} — a scan that catches up commits (publishes, then saves its checkpoint) once
 *     this many events wait (default 5000)…</li>
 * <li>{@code exporter.commit.max-delay} — …or once its oldest waiting page is this old (default 1s); see
 *     {@link CommitPolicy}.</li>
 * <li>{@code exporter.metrics.port} — port of the metrics and health server ({@link org.asynctask.exporter.metrics.MetricsServer}):
 *     {@code /metrics} (Prometheus), {@code /health}, {@code /health/live}, {@code /health/ready}, {@code /status}. Default 9876;
 *     0 = any free port; -1 = no server.</li>
 * <li>{@code exporter.metrics.host} — address it binds (default {@code 0.0.0.0}).</li>
 * <li>{@code exporter.metrics.task-duration-by-function} — the task duration histogram per function too (default
 *     false: per source; a histogram per function costs about 1 KB of every scrape per function).</li>
 * <li>{@code exporter.retry.max-backoff}, {@code exporter.circuit-breaker.failures},
 *     {@code exporter.circuit-breaker.open-for} — see {@link RetryPolicy}.</li>
 * </ul>
 * Alert keys ({@code exporter.alert.*}): {@link AlertConfig}. Source keys: {@link SourceKeys}.
 */
public record ExporterConfig(
        List<SourceConfig> sources,
        SinkKind sink,
        String sinkUri,
        boolean sinkBatch,
        Path outputDir,
        ArchiveSettings archive,
        StoreKind checkpointStore,
        Path checkpointDir,
        boolean exactlyOnce,
        KafkaSettings kafka,
        int pollThreads,
        Duration connectTimeout,
        Duration responseTimeout,
        RetryPolicy retry,
        CommitPolicy commit,
        int metricsPort,
        String metricsHost,
        boolean taskDurationByFunction,
        AlertSettings alerts,
        Map<String, String> camelProperties) {

    public static final String PREFIX = "exporter.";
    static final String SOURCE_PREFIX = "exporter.source.";
    static final String KAFKA_PROPERTIES = "exporter.kafka.properties.";
    /** Camel keys that hold a secret (a data source's password, a component's token, camel-kafka's JAAS). */
    private static final Pattern SECRET_CAMEL_KEY = Pattern.compile("password|secret|token|passphrase|jaas");

    public ExporterConfig {
        sources = List.copyOf(sources);
        camelProperties = Map.copyOf(camelProperties);
    }

    /**
     * @param providers the providers the build knows, and what their sources may configure
     */
    public static ExporterConfig load(Path file, ProviderCatalog providers) {
        return parse(read(file), System::getenv, providers);
    }

    /** The raw key/values of a properties file, placeholders unresolved. */
    public static Map<String, String> read(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException(
                    "--config",
                    "cannot read " + file + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        Map<String, String> map = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
        return map;
    }

    public static ExporterConfig parse(Map<String, String> raw, UnaryOperator<String> env, ProviderCatalog providers) {
        ConfigValues values = new ConfigValues(raw, env);
        Map<String, Map<String, String>> sourceBlocks = new TreeMap<>();
        Map<String, String> camel = new LinkedHashMap<>();
        Set<String> webhooks = new TreeSet<>();
        for (String key : new TreeSet<>(raw.keySet())) {
            if (key.startsWith(AlertConfig.WEBHOOK_PREFIX)) {
                String rest = key.substring(AlertConfig.WEBHOOK_PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot <= 0 || !ConfigKeys.names(Scope.WEBHOOK).contains(rest.substring(dot + 1))) {
                    throw new ConfigException(
                            key,
                            "expected exporter.alert.webhook.<name>.<key> with key one of "
                                    + String.join(", ", ConfigKeys.names(Scope.WEBHOOK)));
                }
                webhooks.add(rest.substring(0, dot));
            } else if (key.startsWith(SOURCE_PREFIX)) {
                String rest = key.substring(SOURCE_PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot <= 0) {
                    throw new ConfigException(key, "expected exporter.source.<name>.<key>");
                }
                String sub = rest.substring(dot + 1);
                if (!ConfigKeys.names(Scope.SOURCE).contains(sub)) {
                    throw new ConfigException(
                            key,
                            "unknown source key '" + sub + "' (known: "
                                    + String.join(", ", ConfigKeys.names(Scope.SOURCE)) + ")");
                }
                sourceBlocks
                        .computeIfAbsent(rest.substring(0, dot), n -> new LinkedHashMap<>())
                        .put(sub, raw.get(key));
            } else if (key.startsWith(PREFIX)) {
                if (!ConfigKeys.names(Scope.GLOBAL).contains(key) && !key.startsWith(KAFKA_PROPERTIES)) {
                    throw new ConfigException(
                            key,
                            "unknown key (known: " + String.join(", ", ConfigKeys.names(Scope.GLOBAL))
                                    + ", exporter.source.<name>.<key>)");
                }
            } else if (key.startsWith("camel.")) {
                // Camel resolves {{env:…}} itself; a password written out here would be committed with the file.
                if (SECRET_CAMEL_KEY.matcher(key.toLowerCase(Locale.ROOT)).find()) {
                    values.refuseWrittenIn(key, "");
                }
                camel.put(key, raw.get(key));
            }
        }
        if (sourceBlocks.isEmpty()) {
            throw new ConfigException("exporter.source.<name>.provider", "no source is configured");
        }
        List<SourceConfig> sources = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> block : sourceBlocks.entrySet()) {
            sources.add(SourceParser.parse(
                    block.getKey(), new ConfigValues(prefixed(block.getKey(), block.getValue()), env), providers));
        }
        SinkKind sink = values.kind("exporter.sink", SinkKind.class);
        StoreKind store = values.kind("exporter.checkpoint.store", StoreKind.class);
        boolean exactlyOnce = values.oneOf("exporter.delivery", "at-least-once", "at-least-once", "exactly-once")
                .equals("exactly-once");
        if (exactlyOnce && !(sink == SinkKind.KAFKA && store == StoreKind.KAFKA)) {
            throw new ConfigException(
                    "exporter.delivery",
                    "exactly-once needs exporter.sink=kafka and exporter.checkpoint.store=kafka "
                            + "(the events and their checkpoint are written in one Kafka transaction)");
        }
        if (store != StoreKind.KAFKA) {
            for (String key : List.of("exporter.group.id", "exporter.group.shards")) {
                if (values.has(key)) {
                    throw new ConfigException(
                            key,
                            "group mode needs exporter.checkpoint.store=kafka (the shards are the partitions of the "
                                    + "checkpoint topic, and Kafka assigns them); a file store has one owner, its machine");
                }
            }
            if (values.has("exporter.group.session-timeout")) {
                throw new ConfigException(
                        "exporter.group.session-timeout",
                        "is only used with exporter.checkpoint.store=kafka (a file store is held by a file lock, "
                                + "which a killed exporter lets go at once)");
            }
        }
        KafkaSettings kafka =
                sink == SinkKind.KAFKA || store == StoreKind.KAFKA ? KafkaParser.parse(values, raw) : null;
        return new ExporterConfig(
                sources,
                sink,
                sinkUri(values, sink),
                sinkBatch(values, sink),
                Path.of(values.string("exporter.output.dir", "data/events")),
                new ArchiveSettings(
                        values.oneOf("exporter.output.rotate", "day", "day", "hour")
                                .equals("hour"),
                        values.size("exporter.output.max-file-size"),
                        values.bool("exporter.output.gzip", false),
                        values.has("exporter.output.retention")
                                ? values.positiveDuration("exporter.output.retention", null)
                                : null),
                store,
                Path.of(values.string("exporter.checkpoint.dir", "data/checkpoints")),
                exactlyOnce,
                kafka,
                values.integer("exporter.poll-threads", 4, 1, 256),
                values.positiveDuration("exporter.http.connect-timeout", Duration.ofSeconds(5)),
                values.positiveDuration("exporter.http.response-timeout", Duration.ofSeconds(30)),
                new RetryPolicy(
                        values.positiveDuration("exporter.retry.max-backoff", RetryPolicy.DEFAULT.maxBackoff()),
                        values.integer(
                                "exporter.circuit-breaker.failures", RetryPolicy.DEFAULT.breakerFailures(), 1, 1000),
                        values.positiveDuration(
                                "exporter.circuit-breaker.open-for", RetryPolicy.DEFAULT.breakerOpenFor())),
                new CommitPolicy(
                        values.integer("exporter.commit.max-events", 5000, 1, 1_000_000),
                        values.positiveDuration("exporter.commit.max-delay", Duration.ofSeconds(1))),
                values.integer("exporter.metrics.port", 9876, -1, 65535),
                values.string("exporter.metrics.host", "0.0.0.0"),
                values.bool("exporter.metrics.task-duration-by-function", false),
                AlertConfig.parse(values, webhooks),
                camel);
    }

    /** The endpoint of the Camel sink: required with it, refused without it (a key that would do nothing). */
    private static String sinkUri(ConfigValues v, SinkKind sink) {
        if (sink != SinkKind.CAMEL) {
            if (v.has("exporter.sink.uri")) {
                throw new ConfigException("exporter.sink.uri", "is only used with exporter.sink=camel");
            }
            return null;
        }
        return v.uriWithSecrets(
                "exporter.sink.uri",
                "the Camel endpoint URI the events are sent to, e.g. file:events?fileExist=Append");
    }

    /** Whether the Camel sink sends a batch as one message; refused without it, like the URI. */
    private static boolean sinkBatch(ConfigValues v, SinkKind sink) {
        if (sink != SinkKind.CAMEL && v.has("exporter.sink.batch")) {
            throw new ConfigException("exporter.sink.batch", "is only used with exporter.sink=camel");
        }
        return v.bool("exporter.sink.batch", false);
    }

    private static Map<String, String> prefixed(String name, Map<String, String> block) {
        Map<String, String> m = new LinkedHashMap<>();
        block.forEach((k, v) -> m.put(SOURCE_PREFIX + name + "." + k, v));
        return m;
    }
}
