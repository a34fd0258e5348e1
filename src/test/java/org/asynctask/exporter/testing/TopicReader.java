package org.asynctask.exporter.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic from the beginning, as a consumer without a group, accumulating as it goes. */
public final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

    public TopicReader(String bootstrapServers, String topic, boolean readCommitted) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (partitions.isEmpty() && System.currentTimeMillis() < deadline) {
            consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Polls for new records, and on while polls bring any (one poll brings a fetch's worth, and a test that
     * reads a large topic at the end must not take a wait per fetch); returns everything read so far.
     */
    public List<ConsumerRecord<String, byte[]>> read(Duration wait) {
        ConsumerRecords<String, byte[]> polled = consumer.poll(wait);
        while (!polled.isEmpty()) {
            polled.forEach(records::add);
            polled = consumer.poll(Duration.ZERO);
        }
        return records;
    }

    /** Every record's value as text, for {@link PublishedEvents}. */
    public PublishedEvents events(Duration wait) {
        return PublishedEvents.of(read(wait).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .toList());
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
