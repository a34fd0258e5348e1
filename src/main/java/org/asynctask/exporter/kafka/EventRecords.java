package org.asynctask.exporter.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.asynctask.exporter.event.CloudEvent;
import org.asynctask.exporter.event.EventJson;
import org.asynctask.exporter.sink.SinkException;
import org.asynctask.exporter.task.StatusChange;

/**
 * Turns a status change into Kafka records: key = the stable task key (every event of a task lands
 * in one partition, in order); CloudEvents in structured mode (the whole event as JSON value) or
 * binary mode ({@code ce_*} headers, the data as value); a copy to the alert topic for alert
 * statuses. Only the headers the mode defines are set — nothing else leaks into records.
 */
final class EventRecords {
    private final KafkaSettings settings;

    EventRecords(KafkaSettings settings) {
        this.settings = settings;
    }

    List<ProducerRecord<String, byte[]>> of(StatusChange change) {
        CloudEvent event = CloudEvent.of(change);
        RecordHeaders headers = new RecordHeaders();
        byte[] value;
        try {
            if (settings.binaryMode()) {
                header(headers, "ce_specversion", event.specversion());
                header(headers, "ce_id", event.id());
                header(headers, "ce_source", event.source());
                header(headers, "ce_type", event.type());
                header(headers, "ce_subject", event.subject());
                header(headers, "ce_time", event.time().toString());
                header(headers, "ce_taskkey", event.taskkey());
                header(headers, "content-type", "application/json");
                value = EventJson.MAPPER.writeValueAsBytes(event.data());
            } else {
                header(headers, "content-type", "application/cloudevents+json; charset=UTF-8");
                value = EventJson.MAPPER.writeValueAsBytes(event);
            }
        } catch (JsonProcessingException e) {
            throw new SinkException("cannot serialize event " + change.eventId(), e);
        }
        String key = change.task().taskKey();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(2);
        records.add(new ProducerRecord<>(settings.topic(), null, key, value, headers));
        if (settings.alertTopic() != null
                && settings.alertStatuses().contains(change.task().status())) {
            records.add(new ProducerRecord<>(settings.alertTopic(), null, key, value, headers));
        }
        return records;
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
