package org.asynctask.exporter.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.asynctask.exporter.health.OutputHealth;
import org.asynctask.exporter.sink.SinkException;
import org.asynctask.exporter.task.StatusChange;

/**
 * The steps around camel-kafka's producer in the publish-kafka route (at-least-once by one exporter): a page's
 * status changes in, as the messages camel-kafka sends (one per record: its key, its topic when it is the alert
 * topic's copy, the headers the CloudEvents mode defines, the event's bytes: the records {@link EventRecords} makes
 * for the exactly-once sink too); out only once every record is acknowledged.
 */
public final class KafkaPublishing {
    private static final String CHANGES = "publishedChanges";

    private final KafkaSettings settings;
    private final EventRecords records;
    private final KafkaProducers producers;
    private final OutputHealth health;
    private volatile boolean topicsReady;

    public KafkaPublishing(KafkaSettings settings, KafkaProducers producers, OutputHealth health) {
        this.settings = settings;
        this.records = new EventRecords(settings);
        this.producers = producers;
        this.health = health;
    }

    /** The page's changes (the body) as the list of messages camel-kafka sends, one exchange for the batch. */
    public List<Message> records(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<StatusChange> changes = exchange.getMessage().getBody(List.class);
        exchange.setProperty(CHANGES, changes);
        List<Message> messages = new ArrayList<>(changes.size());
        if (changes.isEmpty()) {
            return messages;
        }
        ensureTopics();
        producers.beginBatch();
        for (StatusChange change : changes) {
            for (ProducerRecord<String, byte[]> r : records.of(change)) {
                Message m = new DefaultMessage(exchange);
                m.setHeader(KafkaConstants.KEY, r.key());
                if (!r.topic().equals(settings.topic())) {
                    m.setHeader(KafkaConstants.OVERRIDE_TOPIC, r.topic());
                }
                for (Header h : r.headers()) {
                    m.setHeader(h.key(), h.value());
                }
                m.setBody(r.value());
                messages.add(m);
            }
        }
        return messages;
    }

    /** Every record sent has its broker's metadata (camel-kafka waited for each): the page's changes are durable. */
    public List<StatusChange> acknowledged(Exchange exchange) {
        List<?> sent = exchange.getMessage().getBody(List.class);
        producers.endBatch(false);
        List<?> acks = exchange.getMessage().removeHeader(KafkaConstants.KAFKA_RECORD_META) instanceof List<?> l
                ? l
                : List.of();
        if (acks.size() != sent.size()) {
            throw new SinkException(
                    "Kafka acknowledged " + acks.size() + " of " + sent.size() + " records for topic "
                            + settings.topic(),
                    null);
        }
        @SuppressWarnings("unchecked")
        List<StatusChange> changes = exchange.getProperty(CHANGES, List.class);
        if (!sent.isEmpty()) {
            health.ok();
        }
        return changes;
    }

    /**
     * The batch was not acknowledged in full: a new producer unless another batch's failure made one already (what
     * the old one buffers must not reach the topic after this batch is published again), the sink's health DOWN, and a {@link SinkException} for the poll route.
     */
    public void failed(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        producers.endBatch(true);
        SinkException failure = caught instanceof SinkException known ? known : failure(cause(caught));
        health.failed(failure);
        throw failure;
    }

    private SinkException failure(Throwable cause) {
        return new SinkException(
                "Kafka at " + settings.bootstrapServers() + " did not acknowledge the events for topic "
                        + settings.topic() + ": " + cause,
                cause);
    }

    private static Throwable cause(Throwable caught) {
        Throwable t = caught;
        while ((t instanceof ExecutionException || t instanceof CamelExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void ensureTopics() {
        if (!topicsReady) {
            Topics.ensureEventTopics(settings);
            topicsReady = true;
        }
    }
}
