package org.asynctask.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TaskStatus;
import org.asynctask.exporter.testing.EmbeddedKafka;
import org.asynctask.exporter.testing.TopicReader;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once into topics the exporter creates itself, as on its first start against a new cluster:
 * the first transaction of each commits at once. A producer that writes to partitions the broker is
 * still creating gets some of its first requests refused and later ones accepted, and the refused ones
 * are then out of order for good (KAFKA-15591): every retry fails with OutOfOrderSequenceException
 * until the delivery timeout fails the transaction. That is the stall the benchmark once showed; with
 * 48 partitions a topic it hit about half of the fresh topics when the exporter did not wait for them.
 */
class FreshTopicIT {
    private static final int ROUNDS = 6;
    private static final int EVENTS = 3_000;
    private final PartitionKey partition =
            new PartitionKey("alibaba-fc3", "main", "123", "cn-hangzhou", null, "orders", null);

    @Test
    void theFirstTransactionIntoANewTopicCommits() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Map.of("num.partitions", "48"))) {
            List<String> failed = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                KafkaSettings settings = new KafkaSettings(
                        kafka.bootstrapServers(),
                        "events-" + round,
                        null,
                        Set.of(),
                        false,
                        "lz4",
                        Duration.ofSeconds(8),
                        "checkpoints-" + round,
                        "tx-" + round,
                        Map.of(),
                        GroupSettings.SINGLE);
                try (ShardTransactions tx = new ShardTransactions(settings);
                        KafkaEventSink sink = new KafkaEventSink(settings, tx, true);
                        KafkaCheckpointStore store = new KafkaCheckpointStore(settings, tx, false)) {
                    store.load(partition);
                    sink.publish(partition, changes(round));
                    store.save(partition, Checkpoint.start(round));
                } catch (KafkaUnavailableException e) {
                    failed.add("round " + round + ": " + e.getMessage());
                    continue;
                }
                try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "events-" + round, true)) {
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (reader.read(Duration.ofMillis(200)).size() < EVENTS && System.nanoTime() < deadline) {
                        // reading on
                    }
                    assertThat(reader.read(Duration.ZERO))
                            .as("round %d: committed events", round)
                            .hasSize(EVENTS);
                }
            }
            assertThat(failed).as("transactions that failed on a new topic").isEmpty();
        }
    }

    private static List<StatusChange> changes(int round) {
        List<StatusChange> out = new ArrayList<>(EVENTS);
        Instant start = Instant.parse("2026-11-22T10:00:00Z");
        for (int i = 0; i < EVENTS; i++) {
            Task t = Task.builder()
                    .location("alibaba-fc3", "main", "123", "cn-hangzhou", null, "orders", null)
                    .taskId("task-" + round + "-" + i)
                    .status(TaskStatus.RUNNING, "Running")
                    .startedAt(start.plusMillis(i))
                    .build();
            out.add(new StatusChange("id-" + round + "-" + i, null, null, t, t.startedAt()));
        }
        return out;
    }
}
