package org.asynctask.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.ScanState;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.task.TaskStatus;
import org.asynctask.exporter.task.TrackedTask;
import org.asynctask.exporter.testing.EmbeddedKafka;
import org.asynctask.exporter.testing.TopicReader;
import org.junit.jupiter.api.Test;

class KafkaCheckpointStoreIT {
    private final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private final String topic = "checkpoints-" + UUID.randomUUID();
    private final PartitionKey orders =
            new PartitionKey("alibaba-fc3", "main", "123", "cn-hangzhou", null, "orders", null);
    private final PartitionKey reports =
            new PartitionKey("alibaba-fc3", "main", "123", "cn-hangzhou", null, "reports", "prod");

    private KafkaSettings settings(String bootstrap) {
        return settings(bootstrap, GroupSettings.SINGLE);
    }

    private KafkaSettings settings(String bootstrap, GroupSettings group) {
        return new KafkaSettings(
                bootstrap,
                "events",
                null,
                Set.of(TaskStatus.FAILED),
                false,
                "lz4",
                Duration.ofSeconds(3),
                topic,
                "tx-" + topic,
                Map.of(),
                group);
    }

    @Test
    void checkpointsSurviveARestartOnACompactedTopic() throws Exception {
        Checkpoint first = new Checkpoint(
                10, new ScanState(10, 20, "tok"), Map.of("a", new TrackedTask("Running", 11, false)), null);
        Checkpoint second = new Checkpoint(15, null, Map.of(), "a");
        try (KafkaCheckpointStore store = new KafkaCheckpointStore(settings(kafka.bootstrapServers()), null)) {
            assertThat(store.load(orders)).isEmpty();
            store.save(orders, first);
            store.save(orders, second);
            store.save(reports, first);
        }
        try (KafkaCheckpointStore store = new KafkaCheckpointStore(settings(kafka.bootstrapServers()), null)) {
            assertThat(store.load(orders)).contains(second);
            assertThat(store.load(reports)).contains(first);
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    void aTransactionalSaveIsVisibleOnlyOnceCommitted() {
        Checkpoint cp = Checkpoint.start(42);
        try (ShardTransactions tx = new ShardTransactions(settings(kafka.bootstrapServers()));
                KafkaCheckpointStore store = new KafkaCheckpointStore(settings(kafka.bootstrapServers()), tx)) {
            store.save(orders, cp);
        }
        // The reader settles transactions like an exporter starting: a commit's markers reach the topic
        // only after commitTransaction() returns, so a plain read-committed reader may not see it yet.
        try (ShardTransactions tx = new ShardTransactions(settings(kafka.bootstrapServers()));
                KafkaCheckpointStore reader = new KafkaCheckpointStore(settings(kafka.bootstrapServers()), tx)) {
            assertThat(reader.load(orders)).contains(cp);
        }
    }

    @Test
    void eventsInATransactionAreInvisibleBeforeTheCheckpointCommitsThemAndAfterAnAbort() throws Exception {
        String events = "events-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(events, 1, (short) 1)))
                    .all()
                    .get();
        }
        Checkpoint cp = Checkpoint.start(42);
        try (ShardTransactions tx = new ShardTransactions(settings(kafka.bootstrapServers()));
                KafkaCheckpointStore store = new KafkaCheckpointStore(settings(kafka.bootstrapServers()), tx);
                TopicReader committed = new TopicReader(kafka.bootstrapServers(), events, true);
                TopicReader raw = new TopicReader(kafka.bootstrapServers(), events, false)) {
            tx.of(0).send(List.of(new ProducerRecord<>(events, "k", "aborted".getBytes(StandardCharsets.UTF_8))));
            // On the topic (an uncommitted reader sees it), invisible to read_committed until decided.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !raw.read(Duration.ofMillis(100)).isEmpty());
            assertThat(committed.read(Duration.ofSeconds(1)))
                    .as("before the commit")
                    .isEmpty();
            tx.abortOpen();
            assertThat(committed.read(Duration.ofSeconds(1)))
                    .as("after the abort")
                    .isEmpty();

            tx.of(0).send(List.of(new ProducerRecord<>(events, "k", "committed".getBytes(StandardCharsets.UTF_8))));
            assertThat(committed.read(Duration.ofSeconds(1)))
                    .as("before the checkpoint save")
                    .isEmpty();
            store.save(orders, cp);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !committed.read(Duration.ofMillis(100)).isEmpty());
            assertThat(committed.read(Duration.ofMillis(500)))
                    .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .as("with the checkpoint")
                    .containsExactly("committed");
        }
        try (ShardTransactions tx = new ShardTransactions(settings(kafka.bootstrapServers()));
                KafkaCheckpointStore reader = new KafkaCheckpointStore(settings(kafka.bootstrapServers()), tx)) {
            assertThat(reader.load(orders)).contains(cp);
        }
    }

    @Test
    void aCheckpointLargerThanKafkasDefaultRecordLimitIsSavedAndReadBack() {
        Map<String, TrackedTask> tracked = new HashMap<>();
        for (int i = 0; i < 40_000; i++) {
            tracked.put(UUID.randomUUID().toString(), new TrackedTask("Succeeded", 1_000_000L + i, true));
        }
        Checkpoint big = new Checkpoint(10, new ScanState(10, 20, "tok"), tracked, null);
        try (ShardTransactions tx = new ShardTransactions(settings(kafka.bootstrapServers()));
                KafkaCheckpointStore store = new KafkaCheckpointStore(settings(kafka.bootstrapServers()), tx)) {
            store.save(reports, big);
        }
        try (ShardTransactions tx = new ShardTransactions(settings(kafka.bootstrapServers()));
                KafkaCheckpointStore reader = new KafkaCheckpointStore(settings(kafka.bootstrapServers()), tx)) {
            Checkpoint read = reader.load(reports).orElseThrow();
            // Not contains(big): a failure would print 40,000 tasks.
            assertThat(read.tracked().size()).isEqualTo(big.tracked().size());
            assertThat(read.equals(big)).as("read back equal to what was saved").isTrue();
        }
    }

    /** The broker bounds session timeouts (6 s to 30 min by default): a start outside them names the key. */
    @Test
    void aSessionTimeoutTheBrokerRefusesStopsTheStartNamingTheKey() {
        GroupSettings tooShort = GroupSettings.single(Duration.ofSeconds(2));
        try (KafkaCheckpointStore store =
                new KafkaCheckpointStore(settings(kafka.bootstrapServers(), tooShort), null)) {
            assertThatThrownBy(() -> store.claim(CheckpointLease.Listener.NONE))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("exporter.group.session-timeout: the broker refuses 2000 ms")
                    .hasMessageContaining("group.min.session.timeout.ms");
            assertThat(store.lease()).as("no membership left behind").isNull();
        }
    }

    @Test
    void anUnreachableBrokerIsAClearRetriableError() {
        try (KafkaCheckpointStore store = new KafkaCheckpointStore(settings("127.0.0.1:1"), null)) {
            assertThatThrownBy(() -> store.load(orders))
                    .isInstanceOf(KafkaUnavailableException.class)
                    .hasMessageContaining(topic)
                    .hasMessageContaining("127.0.0.1:1");
        }
    }
}
