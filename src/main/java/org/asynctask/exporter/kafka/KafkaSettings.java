package org.asynctask.exporter.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.asynctask.exporter.secret.Redaction;
import org.asynctask.exporter.task.TaskStatus;

/**
 * Kafka settings ({@code exporter.kafka.*}, documented in {@link org.asynctask.exporter.config.ExporterConfig}).
 *
 * @param alertTopic       also receives events whose status is in {@code alertStatuses}; null = off
 * @param binaryMode       CloudEvents binary mode ({@code ce_*} headers, data as value) instead of structured
 * @param clientProperties passed to every Kafka client as is (security settings and the like)
 * @param group            how exporters share the work ({@link GroupSettings#SINGLE}: one owner)
 */
public record KafkaSettings(
        String bootstrapServers,
        String topic,
        String alertTopic,
        Set<TaskStatus> alertStatuses,
        boolean binaryMode,
        String compression,
        Duration deliveryTimeout,
        String checkpointTopic,
        String transactionalId,
        Map<String, String> clientProperties,
        GroupSettings group) {

    /** The same cluster with another checkpoint topic (a backfill keeps its checkpoints apart from the live ones). */
    public KafkaSettings withCheckpointTopic(String checkpointTopic) {
        return new KafkaSettings(
                bootstrapServers,
                topic,
                alertTopic,
                alertStatuses,
                binaryMode,
                compression,
                deliveryTimeout,
                checkpointTopic,
                transactionalId,
                clientProperties,
                group);
    }

    public KafkaSettings {
        alertStatuses = Set.copyOf(alertStatuses);
        clientProperties = Map.copyOf(clientProperties);
        clientProperties.forEach((k, v) -> {
            if (k.contains("password") || k.contains("jaas") || k.contains("secret") || k.contains("token")) {
                Redaction.register(v);
            }
        });
    }

    /** Client property values can be secrets (SASL credentials): only their names are printed. */
    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", topic=" + topic + ", alertTopic=" + alertTopic
                + ", checkpointTopic=" + checkpointTopic + ", clientProperties=" + clientProperties.keySet() + "]";
    }

    static final String CLIENT_ID = "async-task-exporter";

    private Properties common() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, CLIENT_ID);
        return p;
    }

    /**
     * The producer's timeouts, short enough that a broker outage fails the poll (and is logged and retried) instead
     * of blocking it for minutes: a request within 10 s, a record within the delivery timeout.
     */
    public long requestTimeoutMs() {
        return Math.min(deliveryTimeout.toMillis(), 10_000);
    }

    /** Kafka requires it above the request timeout (plus linger.ms). */
    public long deliveryTimeoutMs() {
        return Math.max(deliveryTimeout.toMillis(), requestTimeoutMs() + 5);
    }

    /** How long a send waits for the topic's metadata (the broker away) before it fails. */
    public long maxBlockMs() {
        return deliveryTimeout.toMillis();
    }

    /**
     * Idempotent, acks=all, compressed. Timeouts are short enough that a broker outage fails the poll
     * (and is logged and retried) instead of blocking it for minutes.
     */
    Properties producer(String transactionalIdOrNull) {
        Properties p = common();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // A commit sends thousands of ~1 KB events at once: 16 KB batches (the default) made one request per
        // ~15 events per partition. Users may override it (exporter.kafka.properties.batch.size).
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        // Checkpoint records can exceed the 1 MB default; their topic is created to accept them (Topics).
        p.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.MAX_RECORD_BYTES));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeoutMs()));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeoutMs()));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlockMs()));
        if (transactionalIdOrNull != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalIdOrNull);
            p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000");
        }
        return p;
    }

    Properties consumer(boolean readCommitted) {
        Properties p = common();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeout.toMillis()));
        return p;
    }

    Properties admin() {
        Properties p = common();
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeoutMs()));
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeout.toMillis()));
        return p;
    }
}
