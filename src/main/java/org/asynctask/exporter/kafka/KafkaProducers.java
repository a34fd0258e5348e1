package org.asynctask.exporter.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * camel-kafka's client factory in the publish-kafka route. Its producer gets Camel's settings (the route's
 * parameters over {@code camel.component.kafka.*}), over them {@code exporter.kafka.properties.*}, which every Kafka
 * client of the exporter gets (security, SASL: one place for the checkpoint store, exactly-once and this), and over
 * those again the route's settings the at-least-once guarantee and the record format rest on (as the kafka-clients
 * producer forces them). After a batch that was not acknowledged in full, {@link #endBatch} gives it a new producer.
 */
public final class KafkaProducers extends DefaultKafkaClientFactory {
    /** Set by the route; no other setting may change them. */
    private static final List<String> GUARANTEES = List.of(
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.ACKS_CONFIG,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

    private final Map<String, String> clientProperties;
    private final List<ReplaceableProducer> made = new CopyOnWriteArrayList<>();

    public KafkaProducers(KafkaSettings settings) {
        this.clientProperties = settings.clientProperties();
    }

    @Override
    public Producer getProducer(Properties camelProperties) {
        Properties p = new Properties();
        p.putAll(camelProperties);
        p.putAll(clientProperties);
        GUARANTEES.stream().filter(camelProperties::containsKey).forEach(k -> p.put(k, camelProperties.get(k)));
        p.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, KafkaSettings.CLIENT_ID);
        ReplaceableProducer producer = new ReplaceableProducer(p);
        made.add(producer);
        return producer;
    }

    /** What each producer made so far was made with (tests). */
    List<Properties> producerProperties() {
        return made.stream().map(ReplaceableProducer::properties).toList();
    }

    /** This thread's next batch goes to one producer (see {@link ReplaceableProducer}). */
    void beginBatch() {
        made.forEach(ReplaceableProducer::beginBatch);
    }

    /** After this thread's batch: a failed one gives its producer a successor (see {@link ReplaceableProducer}). */
    void endBatch(boolean failed) {
        made.forEach(p -> p.endBatch(failed));
    }
}
