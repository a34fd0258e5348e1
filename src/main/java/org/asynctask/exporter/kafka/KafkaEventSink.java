package org.asynctask.exporter.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.sink.EventSink;
import org.asynctask.exporter.sink.SinkException;
import org.asynctask.exporter.task.StatusChange;

/**
 * Publishes status changes to Kafka. At-least-once: an idempotent producer, and {@link #publish}
 * returns only when the broker has acknowledged every record of the batch. Exactly-once: the
 * records join the poll thread's transaction on the partition's shard ({@link ShardTransactions}), which
 * the checkpoint store commits together with the checkpoint.
 *
 * <p>A batch not acknowledged in full fails the poll, which publishes it again later. Its records
 * still buffered must not reach the topic after that: an expired batch followed by a delivered one
 * would put a task's later status before its earlier one (seen in {@code BrokerTroubleIT}: the
 * broker back while part of a batch had expired). So a failed batch closes the producer at once,
 * which fails what it still holds, and the next batch gets a new one.
 */
public final class KafkaEventSink implements EventSink {
    private final KafkaSettings settings;
    private final EventRecords records;
    private final ShardTransactions transactions;
    /** Null for exactly-once; replaced after a failed batch. */
    private volatile KafkaProducer<String, byte[]> producer;

    private volatile boolean topicsReady;

    /** Exactly-once: a batch stays in the open transaction, which the checkpoint's save commits. */
    private final boolean exactlyOnce;

    /**
     * @param transactions null for at-least-once delivery without a group; in group mode at-least-once each
     *                     batch is committed in its shard's transaction before {@link #publish} returns, so that a
     *                     zombie (fenced) cannot publish stale events after the shard's new holder's
     */
    public KafkaEventSink(KafkaSettings settings, ShardTransactions transactions, boolean exactlyOnce) {
        this.settings = settings;
        this.records = new EventRecords(settings);
        this.transactions = transactions;
        this.exactlyOnce = exactlyOnce;
        this.producer = transactions == null ? new KafkaProducer<>(settings.producer(null)) : null;
    }

    /** A batch without its partition: only without a group, where every partition is in shard 0. */
    @Override
    public void publish(List<StatusChange> changes) {
        if (settings.group().grouped()) {
            throw new IllegalStateException("in group mode a batch is published with its partition");
        }
        publish(0, changes);
    }

    @Override
    public void publish(PartitionKey partition, List<StatusChange> changes) {
        publish(settings.group().shardOf(partition), changes);
    }

    /** Exactly-once, the batch joins the poll thread's transaction on the partition's shard. */
    private void publish(int shard, List<StatusChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        ensureTopics();
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>(changes.size());
        changes.forEach(c -> batch.addAll(records.of(c)));
        if (transactions != null) {
            KafkaTransactions shardTransactions = transactions.of(shard);
            shardTransactions.send(batch);
            if (!exactlyOnce) {
                shardTransactions.commit();
            }
            return;
        }
        KafkaProducer<String, byte[]> producer = this.producer;
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        try {
            for (ProducerRecord<String, byte[]> r : batch) {
                Future<RecordMetadata> ack = producer.send(r);
                acks.add(ack);
                if (ack.isDone()) {
                    // Failed at once (no metadata within max.block.ms, a new producer while the broker is
                    // down): the rest would each wait as long.
                    ack.get();
                }
            }
            // No flush(): it would also wait for the other poll threads' records. Each batch waits for its own
            // acknowledgements, which linger.ms sends on their way within milliseconds.
            long deadline = System.nanoTime()
                    + settings.deliveryTimeout().plusSeconds(5).toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            replace(producer);
            throw failed(e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            replace(producer);
            throw failed(e);
        } catch (InterruptedException e) {
            replace(producer);
            Thread.currentThread().interrupt();
            throw failed(e);
        }
    }

    /**
     * Closes {@code failed} without waiting (what it still buffers fails, the other poll threads' batches
     * too: they are published again like this one) and puts a new producer in its place, once.
     */
    private synchronized void replace(KafkaProducer<String, byte[]> failed) {
        if (producer == failed) {
            producer = new KafkaProducer<>(settings.producer(null));
            failed.close(Duration.ZERO);
        }
    }

    private SinkException failed(Throwable cause) {
        return new SinkException(
                "Kafka at " + settings.bootstrapServers() + " did not acknowledge the events for topic "
                        + settings.topic() + ": " + cause,
                cause);
    }

    private void ensureTopics() {
        if (!topicsReady) {
            Set<String> topics = new HashSet<>(Set.of(settings.topic()));
            if (settings.alertTopic() != null) {
                topics.add(settings.alertTopic());
            }
            Topics.ensure(settings.admin(), topics);
            topicsReady = true;
        }
    }

    @Override
    public void abandon() {
        if (transactions != null) {
            transactions.abortOpen();
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
