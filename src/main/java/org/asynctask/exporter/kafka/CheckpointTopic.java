package org.asynctask.exporter.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The checkpoint topic itself, for {@link KafkaCheckpointStore}: made compacted with one partition per shard
 * when missing, its shape checked against the shards configured, and read to its end.
 */
final class CheckpointTopic {
    private final KafkaSettings settings;
    private final GroupSettings group;

    CheckpointTopic(KafkaSettings settings) {
        this.settings = settings;
        this.group = settings.group();
    }

    /** How many partitions the topic has, once made or found; null before. */
    private volatile Integer partitions;

    /**
     * Makes the topic when missing (one partition per shard), once: until that succeeds, every call tries again.
     *
     * @return how many partitions it has
     */
    int ready() {
        Integer known = partitions;
        if (known == null) {
            known = Topics.ensureCompacted(settings.admin(), settings.checkpointTopic(), group.shards());
            partitions = known;
        }
        return known;
    }

    /**
     * @throws IllegalStateException saying what to do when the topic does not have one partition per shard: its
     *                               checkpoints would sit in partitions this configuration never reads
     */
    void requireShape(int partitions) {
        if (partitions != group.shards()) {
            String topic = settings.checkpointTopic();
            throw new IllegalStateException("checkpoint topic " + topic + " has " + partitions + " partition(s), and "
                    + (group.grouped()
                            ? "group mode needs one per shard: exporter.group.shards=" + group.shards()
                            : "an exporter without exporter.group.id needs 1")
                    + "; copy its checkpoints to a new topic with `checkpoints migrate --to <topic>` and set "
                    + "exporter.checkpoint.topic to it"
                    + (group.grouped() ? "" : ", or set exporter.group.id and exporter.group.shards=" + partitions));
        }
    }

    /**
     * Reads the committed records of a shard's partition from the beginning to its end offset into
     * {@code latest}, the last value per key (a tombstone removes it).
     *
     * @param shard null for every partition, whatever the topic's shape (the {@code checkpoints} command)
     * @throws RuntimeException when the broker does not answer or the end is not reached in time
     */
    void read(Integer shard, Map<String, byte[]> latest) {
        String topic = settings.checkpointTopic();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings.consumer(true))) {
            List<TopicPartition> partitions = shard != null
                    ? List.of(new TopicPartition(topic, shard))
                    : consumer.partitionsFor(topic, settings.deliveryTimeout()).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, settings.deliveryTimeout());
            long deadline = System.nanoTime()
                    + settings.deliveryTimeout().multipliedBy(4).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading checkpoints");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        latest.remove(r.key());
                    } else {
                        latest.put(r.key(), r.value());
                    }
                }
            }
        }
    }
}
