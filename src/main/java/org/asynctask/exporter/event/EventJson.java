package org.asynctask.exporter.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.task.Task;

/**
 * The mapper that writes events: {@link Json#MAPPER} with serializers written out for the event, its data and
 * its task, so that the one serialization of each event (issue 24) walks no bean properties by reflection and
 * formats no instant through a {@code DateTimeFormatter}. The bytes are exactly {@link Json#MAPPER}'s
 * (EventJsonTest holds every field to it): the event schema of docs/events.md is the records' declaration.
 */
public final class EventJson {
    public static final ObjectMapper MAPPER = Json.MAPPER
            .copy()
            .registerModule(new SimpleModule("events")
                    .addSerializer(CloudEvent.class, new EventSerializer())
                    .addSerializer(CloudEvent.Data.class, new DataSerializer())
                    .addSerializer(Task.class, new TaskSerializer()));

    private EventJson() {}

    private static final class EventSerializer extends StdSerializer<CloudEvent> {
        EventSerializer() {
            super(CloudEvent.class);
        }

        @Override
        public void serialize(CloudEvent e, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            string(g, "specversion", e.specversion());
            string(g, "id", e.id());
            string(g, "source", e.source());
            string(g, "type", e.type());
            string(g, "subject", e.subject());
            instant(g, "time", e.time());
            string(g, "datacontenttype", e.datacontenttype());
            string(g, "taskkey", e.taskkey());
            if (e.data() != null) {
                g.writeFieldName("data");
                DataSerializer.write(e.data(), g);
            }
            g.writeEndObject();
        }
    }

    private static final class DataSerializer extends StdSerializer<CloudEvent.Data> {
        DataSerializer() {
            super(CloudEvent.Data.class);
        }

        @Override
        public void serialize(CloudEvent.Data d, JsonGenerator g, SerializerProvider provider) throws IOException {
            write(d, g);
        }

        static void write(CloudEvent.Data d, JsonGenerator g) throws IOException {
            g.writeStartObject();
            string(
                    g,
                    "previousStatus",
                    d.previousStatus() == null ? null : d.previousStatus().name());
            string(g, "previousProviderStatus", d.previousProviderStatus());
            string(g, "status", d.status() == null ? null : d.status().name());
            if (d.task() != null) {
                g.writeFieldName("task");
                TaskSerializer.write(d.task(), g);
            }
            g.writeEndObject();
        }
    }

    private static final class TaskSerializer extends StdSerializer<Task> {
        TaskSerializer() {
            super(Task.class);
        }

        @Override
        public void serialize(Task t, JsonGenerator g, SerializerProvider provider) throws IOException {
            write(t, g);
        }

        static void write(Task t, JsonGenerator g) throws IOException {
            g.writeStartObject();
            string(g, "provider", t.provider());
            string(g, "source", t.source());
            string(g, "account", t.account());
            string(g, "region", t.region());
            string(g, "namespace", t.namespace());
            string(g, "function", t.function());
            string(g, "qualifier", t.qualifier());
            string(g, "taskId", t.taskId());
            string(g, "requestId", t.requestId());
            string(g, "status", t.status() == null ? null : t.status().name());
            string(g, "providerStatus", t.providerStatus());
            g.writeBooleanField("terminal", t.terminal());
            instant(g, "startedAt", t.startedAt());
            instant(g, "endedAt", t.endedAt());
            number(g, "durationMs", t.durationMs());
            instant(g, "statusTime", t.statusTime());
            number(g, "retries", t.retries());
            string(g, "errorCode", t.errorCode());
            string(g, "errorMessage", t.errorMessage());
            string(g, "destinationStatus", t.destinationStatus());
            string(g, "invokeType", t.invokeType());
            string(g, "instanceId", t.instanceId());
            string(g, "payload", t.payload());
            string(g, "result", t.result());
            g.writeEndObject();
        }
    }

    /** Left out when null, as {@link Json#MAPPER}'s inclusion rule does. */
    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void number(JsonGenerator g, String name, Long value) throws IOException {
        if (value != null) {
            g.writeNumberField(name, value.longValue());
        }
    }

    private static void instant(JsonGenerator g, String name, Instant value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeString(IsoInstant.format(value));
        }
    }
}
