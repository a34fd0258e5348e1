package org.asynctask.exporter.testing;

import java.util.HashMap;
import java.util.Map;

/** The keys that send a test exporter's events and checkpoints to a broker, every name derived from one topic. */
public final class KafkaOutputs {
    private KafkaOutputs() {}

    /** Events to {@code topic}, checkpoints to {@code checkpoints-<topic>}, transactional id {@code tx-<topic>}. */
    public static Map<String, String> of(EmbeddedKafka kafka, String topic) {
        Map<String, String> keys = new HashMap<>();
        keys.put("exporter.sink", "kafka");
        keys.put("exporter.checkpoint.store", "kafka");
        keys.put("exporter.kafka.bootstrap-servers", kafka.bootstrapServers());
        keys.put("exporter.kafka.topic", topic);
        keys.put("exporter.checkpoint.topic", "checkpoints-" + topic);
        keys.put("exporter.kafka.transactional-id", "tx-" + topic);
        return keys;
    }

    /** {@link #of}, in the group {@code group-<topic>}. */
    public static Map<String, String> group(EmbeddedKafka kafka, String topic) {
        Map<String, String> keys = of(kafka, topic);
        keys.put("exporter.group.id", "group-" + topic);
        return keys;
    }
}
