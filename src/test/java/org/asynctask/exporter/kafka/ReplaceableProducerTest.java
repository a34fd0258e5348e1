package org.asynctask.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The camel-kafka producer's succession, with no broker at all: {@code max.block.ms=0}, so that every send fails
 * at once (no metadata), each new producer with a failure of its own.
 */
class ReplaceableProducerTest {
    private static final ProducerRecord<Object, Object> RECORD = new ProducerRecord<>("events", "key", new byte[1]);

    private static ReplaceableProducer producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new ReplaceableProducer(p);
    }

    private static Throwable failureOf(Future<RecordMetadata> ack) {
        return catchThrowable(ack::get).getCause();
    }

    @Test
    void aBrokenProducerFailsAtOnceAndOnlyTheFirstFailedBatchOnItReplacesIt() throws Exception {
        ReplaceableProducer producer = producer();
        ExecutorService otherPollThread = Executors.newSingleThreadExecutor();
        try {
            // Two poll threads' batches on the same producer; the first send breaks it, the other's fails as fast.
            producer.beginBatch();
            Throwable broke = failureOf(producer.send(RECORD));
            assertThat(broke).isNotNull();
            Throwable other = otherPollThread
                    .submit(() -> {
                        producer.beginBatch();
                        return failureOf(producer.send(RECORD));
                    })
                    .get();
            assertThat(other).as("the broken producer's failure, at once").isSameAs(broke);

            producer.endBatch(true);
            Throwable next = failureOf(producer.send(RECORD));
            assertThat(next)
                    .as("a new producer, with a failure of its own")
                    .isNotNull()
                    .isNotSameAs(broke);

            // The other thread's batch failed on the old producer: that does not replace the new one in turn.
            otherPollThread.submit(() -> producer.endBatch(true)).get();
            assertThat(failureOf(producer.send(RECORD)))
                    .as("still the second producer: its failure, not a third's")
                    .isSameAs(next);
        } finally {
            otherPollThread.shutdownNow();
            producer.close(Duration.ZERO);
        }
    }
}
