package org.asynctask.exporter.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.asynctask.exporter.kafka.GroupSettings;
import org.asynctask.exporter.kafka.KafkaSettings;
import org.asynctask.exporter.task.TaskStatus;

/** The {@code exporter.kafka.*}, {@code exporter.group.*} and checkpoint-topic keys into {@link KafkaSettings}. */
final class KafkaParser {
    /** Kafka client properties that hold a secret: passwords and the JAAS configuration that carries one. */
    private static final Pattern SECRET_CLIENT_PROPERTY = Pattern.compile("password|sasl\\.jaas\\.config|secret");

    private static final Pattern BOOTSTRAP_SERVERS = Pattern.compile(
            "([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+]):\\d{1,5}(,([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+]):\\d{1,5})*");

    private KafkaParser() {}

    static KafkaSettings parse(ConfigValues v, Map<String, String> raw) {
        Set<TaskStatus> alertStatuses = AlertConfig.statuses(v, "exporter.kafka.alert-statuses");
        Map<String, String> clientProperties = new LinkedHashMap<>();
        raw.keySet().stream()
                .filter(k -> k.startsWith(ExporterConfig.KAFKA_PROPERTIES))
                .forEach(k -> {
                    String property = k.substring(ExporterConfig.KAFKA_PROPERTIES.length());
                    if (SECRET_CLIENT_PROPERTY.matcher(property).find()) {
                        v.refuseWrittenIn(k, "");
                    }
                    clientProperties.put(property, v.string(k, ""));
                });
        String bootstrap = v.required("exporter.kafka.bootstrap-servers", "host:port[,host:port] of the Kafka cluster");
        if (!BOOTSTRAP_SERVERS.matcher(bootstrap).matches()) {
            throw new ConfigException(
                    "exporter.kafka.bootstrap-servers",
                    "'" + bootstrap + "' is not host:port[,host:port]" + " (no scheme, a port on each)");
        }
        return new KafkaSettings(
                bootstrap,
                v.string("exporter.kafka.topic", "async-tasks.status-changes"),
                v.string("exporter.kafka.alert-topic", null),
                alertStatuses,
                v.oneOf("exporter.kafka.cloudevents-mode", "structured", "structured", "binary")
                        .equals("binary"),
                v.oneOf("exporter.kafka.compression", "lz4", "lz4", "zstd", "snappy", "gzip", "none"),
                v.positiveDuration("exporter.kafka.delivery-timeout", Duration.ofSeconds(30)),
                v.string("exporter.checkpoint.topic", "async-tasks.checkpoints"),
                v.string("exporter.kafka.transactional-id", "async-task-exporter"),
                clientProperties,
                group(v));
    }

    private static GroupSettings group(ConfigValues v) {
        Duration session = sessionTimeout(v);
        if (!v.has("exporter.group.id")) {
            if (v.has("exporter.group.shards")) {
                throw new ConfigException("exporter.group.shards", "is only used with exporter.group.id");
            }
            return GroupSettings.single(session);
        }
        String id = v.string("exporter.group.id", "").trim();
        if (id.isEmpty()) {
            throw new ConfigException("exporter.group.id", "is empty: name the consumer group the exporters share");
        }
        return new GroupSettings(
                id, v.integer("exporter.group.shards", GroupSettings.DEFAULT_SHARDS, 1, 1000), session);
    }

    /**
     * At least 1 s: the lease heartbeats every second at most, and Kafka needs a few heartbeats per session. The
     * broker's own bounds (group.min/max.session.timeout.ms, 6 s and 30 min by default) are its to enforce: the
     * lease names this key when the broker refuses it.
     */
    private static Duration sessionTimeout(ConfigValues v) {
        String key = "exporter.group.session-timeout";
        Duration session = v.duration(key, GroupSettings.DEFAULT_SESSION_TIMEOUT);
        if (session.compareTo(Duration.ofSeconds(1)) < 0 || session.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new ConfigException(key, "must be between 1s and 30m: " + v.string(key, ""));
        }
        return session;
    }
}
