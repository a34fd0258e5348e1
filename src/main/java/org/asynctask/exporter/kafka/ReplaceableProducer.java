package org.asynctask.exporter.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
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
 * {@code BrokerTroubleIT}). So {@link #replace} closes the producer at once, which fails what it still holds, and
 * puts a new one in its place. camel-kafka keeps this object for the life of its endpoint.
 *
 * <p>A send that fails at once (no metadata within {@code max.block.ms}: the broker is away) marks the producer
 * broken: the batch's next sends fail at once too instead of each waiting as long, until the batch's failure
 * step replaces it.
 */
final class ReplaceableProducer implements Producer<Object, Object> {
    private final Properties properties;
    private volatile KafkaProducer<Object, Object> producer;
    private volatile Throwable broken;

    ReplaceableProducer(Properties properties) {
        this.properties = properties;
        this.producer = new KafkaProducer<>(properties);
    }

    /** What each of its producers is made with. */
    Properties properties() {
        return properties;
    }

    /** Fails what the current producer still buffers and puts a new one in its place. */
    synchronized void replace() {
        KafkaProducer<Object, Object> failed = producer;
        producer = new KafkaProducer<>(properties);
        broken = null;
        failed.close(Duration.ZERO);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<Object, Object> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<Object, Object> record, Callback callback) {
        Throwable failure = broken;
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        Future<RecordMetadata> ack = producer.send(record, callback);
        if (ack.isDone()) {
            try {
                ack.get();
            } catch (Exception e) {
                broken = e.getCause() != null ? e.getCause() : e;
            }
        }
        return ack;
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return producer.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return producer.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return producer.clientInstanceId(timeout);
    }

    @Override
    public synchronized void close() {
        producer.close();
    }

    @Override
    public synchronized void close(Duration timeout) {
        producer.close(timeout);
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
