package org.asynctask.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.Producer;
import org.asynctask.exporter.task.TaskStatus;
import org.junit.jupiter.api.Test;

/** What the camel-kafka producer of the publish-kafka route is made with. */
class KafkaProducersTest {
    @Test
    void clientPropertiesOverCamelsButNotOverTheGuarantee() {
        KafkaSettings settings = new KafkaSettings(
                "127.0.0.1:9",
                "events",
                null,
                Set.of(TaskStatus.FAILED),
                false,
                "lz4",
                Duration.ofSeconds(5),
                "checkpoints",
                "tx",
                Map.of(
                        "security.protocol", "SSL",
                        "linger.ms", "20",
                        "acks", "1",
                        "enable.idempotence", "false"),
                GroupSettings.SINGLE);
        // What camel-kafka hands its client factory: its defaults and the route's parameters.
        Properties camel = new Properties();
        camel.putAll(Map.of(
                "bootstrap.servers", "127.0.0.1:9",
                "security.protocol", "PLAINTEXT",
                "linger.ms", "5",
                "acks", "all",
                "enable.idempotence", "true",
                "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
                "value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer"));

        Producer<?, ?> producer = new KafkaProducers(settings).getProducer(camel);
        try {
            Properties made = ((ReplaceableProducer) producer).properties();
            assertThat(made)
                    .as("exporter.kafka.properties.* reach the producer (security is not Camel's PLAINTEXT)")
                    .containsEntry("security.protocol", "SSL")
                    .containsEntry("linger.ms", "20")
                    .as("but acks=all and idempotence, what at-least-once rests on, stay")
                    .containsEntry("acks", "all")
                    .containsEntry("enable.idempotence", "true")
                    .containsEntry("client.id", "async-task-exporter");
        } finally {
            producer.close(Duration.ZERO);
        }
    }
}
