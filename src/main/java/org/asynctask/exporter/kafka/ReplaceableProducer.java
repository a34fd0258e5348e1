package org.asynctask.exporter.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * The producer camel-kafka sends the at-least-once batches with, which the exporter can replace after a batch that
 * was not acknowledged in full. Its records still buffered must not reach the topic after that: an expired batch
 * followed by a delivered one would put a task's later status before its earlier one (seen in
 * {@code BrokerTroubleIT}). So a failed batch closes the producer it was sent with at once, which fails what it
 * still holds, and puts a new one in its place. camel-kafka keeps this object for the life of its endpoint.
 *
 * <p>A batch goes to one producer, all of it ({@link #beginBatch}, on the poll thread that sends it: camel-kafka
 * sends synchronously): split over an old and a new producer, its first records could fail and its later ones
 * land. And only the batch whose producer is still the current one replaces it: the batches of the other poll
 * threads that the same close failed do not close the new one in turn.
 *
 * <p>A send that fails at once (no metadata within {@code max.block.ms}: the broker is away) marks the producer
 * broken: the next sends fail at once too instead of each waiting as long, until a failed batch replaces it.
 */
final class ReplaceableProducer implements Producer<Object, Object> {
    /** One producer of the succession, and the first failure that broke it. */
    private record Generation(KafkaProducer<Object, Object> producer, AtomicReference<Throwable> broken) {
        static Generation of(Properties properties) {
            return new Generation(new KafkaProducer<>(properties), new AtomicReference<>());
        }
    }

    private final Properties properties;
    private volatile Generation current;
    private final ThreadLocal<Generation> batch = new ThreadLocal<>();

    ReplaceableProducer(Properties properties) {
        this.properties = properties;
        this.current = Generation.of(properties);
    }

    /** What each of its producers is made with. */
    Properties properties() {
        return properties;
    }

    /** The batch this thread sends next goes to the current producer, all of it. */
    void beginBatch() {
        batch.set(current);
    }

    /**
     * After this thread's batch. A failed one, sent with the current producer, replaces it: closed at once, what it
     * still buffers fails.
     */
    void endBatch(boolean failed) {
        Generation sentWith = batch.get();
        batch.remove();
        if (failed && sentWith != null) {
            replace(sentWith);
        }
    }

    private synchronized void replace(Generation failed) {
        if (current != failed) {
            return; // another batch's failure replaced it already
        }
        current = Generation.of(properties);
        failed.producer().close(Duration.ZERO);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<Object, Object> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<Object, Object> record, Callback callback) {
        Generation g = batch.get() != null ? batch.get() : current;
        Throwable broken = g.broken().get();
        if (broken != null) {
            return CompletableFuture.failedFuture(broken);
        }
        Future<RecordMetadata> ack = g.producer().send(record, callback);
        if (ack.isDone()) {
            try {
                ack.get();
            } catch (Exception e) {
                g.broken().compareAndSet(null, e.getCause() != null ? e.getCause() : e);
            }
        }
        return ack;
    }

    @Override
    public void flush() {
        current.producer().flush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return current.producer().partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return current.producer().metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return current.producer().clientInstanceId(timeout);
    }

    @Override
    public synchronized void close() {
        current.producer().close();
    }

    @Override
    public synchronized void close(Duration timeout) {
        current.producer().close(timeout);
    }

    // At-least-once has no transactions: camel-kafka calls these only with a transactionalId.

    @Override
    public void initTransactions() {
        throw new UnsupportedOperationException("at-least-once publishing has no transactions");
    }

    @Override
    public void beginTransaction() {
        throw new UnsupportedOperationException("at-least-once publishing has no transactions");
    }

    @Override
    @SuppressWarnings("deprecation")
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, String groupId) {
        throw new UnsupportedOperationException("at-least-once publishing has no transactions");
    }

    @Override
    public void sendOffsetsToTransaction(
            Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
        throw new UnsupportedOperationException("at-least-once publishing has no transactions");
    }

    @Override
    public void commitTransaction() {
        throw new UnsupportedOperationException("at-least-once publishing has no transactions");
    }

    @Override
    public void abortTransaction() {
        throw new UnsupportedOperationException("at-least-once publishing has no transactions");
    }
}
