package org.asynctask.exporter.kafka;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.sink.EventSink;
import org.asynctask.exporter.task.StatusChange;

/**
 * Publishes status changes to Kafka through the shards' transactional producers ({@link ShardTransactions}):
 * exactly-once, where a batch joins the poll thread's transaction on the partition's shard, which the checkpoint
 * store commits together with the checkpoint; and at-least-once in group mode, where each batch is committed in
 * its shard's transaction before {@link #publish} returns, so that a zombie (fenced) cannot publish stale events
 * after the shard's new holder's. At-least-once by one exporter goes through camel-kafka instead (the
 * publish-kafka route, {@link KafkaPublishing}).
 */
public final class KafkaEventSink implements EventSink {
    private final KafkaSettings settings;
    private final EventRecords records;
    private final ShardTransactions transactions;
    private volatile boolean topicsReady;

    /** Exactly-once: a batch stays in the open transaction, which the checkpoint's save commits. */
    private final boolean exactlyOnce;

    public KafkaEventSink(KafkaSettings settings, ShardTransactions transactions, boolean exactlyOnce) {
        this.settings = settings;
        this.records = new EventRecords(settings);
        this.transactions = transactions;
        this.exactlyOnce = exactlyOnce;
    }

    @Override
    public void publish(PartitionKey partition, List<StatusChange> changes) {
        publish(settings.group().shardOf(partition), changes);
    }

    private void publish(int shard, List<StatusChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        if (!topicsReady) {
            Topics.ensureEventTopics(settings);
            topicsReady = true;
        }
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>(changes.size());
        changes.forEach(c -> batch.addAll(records.of(c)));
        KafkaTransactions shardTransactions = transactions.of(shard);
        shardTransactions.send(batch);
        if (!exactlyOnce) {
            shardTransactions.commit();
        }
    }

    @Override
    public void abandon() {
        transactions.abortOpen();
    }

    /** The shards' producers belong to {@link ShardTransactions}, which the exporter closes. */
    @Override
    public void close() {}
}
