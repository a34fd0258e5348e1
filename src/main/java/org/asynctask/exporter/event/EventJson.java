package org.asynctask.exporter.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    // Field names, and the values an exporter writes over and over (its partitions' names, the statuses, the
    // event's constants), go out as bytes encoded once: Jackson otherwise checks every character of each for
    // escapes, which was a quarter of the poll threads' CPU (issue 24).
    private static final SerializedString ACCOUNT = new SerializedString("account");
    private static final SerializedString DATA = new SerializedString("data");
    private static final SerializedString DATACONTENTTYPE = new SerializedString("datacontenttype");
    private static final SerializedString DESTINATION_STATUS = new SerializedString("destinationStatus");
    private static final SerializedString DURATION_MS = new SerializedString("durationMs");
    private static final SerializedString ENDED_AT = new SerializedString("endedAt");
    private static final SerializedString ERROR_CODE = new SerializedString("errorCode");
    private static final SerializedString ERROR_MESSAGE = new SerializedString("errorMessage");
    private static final SerializedString FUNCTION = new SerializedString("function");
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString INSTANCE_ID = new SerializedString("instanceId");
    private static final SerializedString INVOKE_TYPE = new SerializedString("invokeType");
    private static final SerializedString NAMESPACE = new SerializedString("namespace");
    private static final SerializedString PAYLOAD = new SerializedString("payload");
    private static final SerializedString PREVIOUS_PROVIDER_STATUS = new SerializedString("previousProviderStatus");
    private static final SerializedString PREVIOUS_STATUS = new SerializedString("previousStatus");
    private static final SerializedString PROVIDER = new SerializedString("provider");
    private static final SerializedString PROVIDER_STATUS = new SerializedString("providerStatus");
    private static final SerializedString QUALIFIER = new SerializedString("qualifier");
    private static final SerializedString REGION = new SerializedString("region");
    private static final SerializedString REQUEST_ID = new SerializedString("requestId");
    private static final SerializedString RESULT = new SerializedString("result");
    private static final SerializedString RETRIES = new SerializedString("retries");
    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString SPECVERSION = new SerializedString("specversion");
    private static final SerializedString STARTED_AT = new SerializedString("startedAt");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString STATUS_TIME = new SerializedString("statusTime");
    private static final SerializedString SUBJECT = new SerializedString("subject");
    private static final SerializedString TASK = new SerializedString("task");
    private static final SerializedString TASK_ID = new SerializedString("taskId");
    private static final SerializedString TASKKEY = new SerializedString("taskkey");
    private static final SerializedString TERMINAL = new SerializedString("terminal");
    private static final SerializedString TIME = new SerializedString("time");
    private static final SerializedString TYPE = new SerializedString("type");

    /** The bytes of the values that repeat, by value; bounded, as a store of thousands of functions would be. */
    private static final int MAX_ENCODED = 16_384;

    private static final Map<String, SerializedString> ENCODED = new ConcurrentHashMap<>();

    private static final SerializedString NOT_KEPT = new SerializedString("");

    private EventJson() {}

    private static final class EventSerializer extends StdSerializer<CloudEvent> {
        EventSerializer() {
            super(CloudEvent.class);
        }

        @Override
        public void serialize(CloudEvent e, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            string(g, SPECVERSION, e.specversion(), true);
            string(g, ID, e.id());
            string(g, SOURCE, e.source(), true);
            string(g, TYPE, e.type(), true);
            string(g, SUBJECT, e.subject());
            instant(g, TIME, e.time());
            string(g, DATACONTENTTYPE, e.datacontenttype(), true);
            string(g, TASKKEY, e.taskkey());
            if (e.data() != null) {
                g.writeFieldName(DATA);
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
                    PREVIOUS_STATUS,
                    d.previousStatus() == null ? null : d.previousStatus().name(),
                    true);
            string(g, PREVIOUS_PROVIDER_STATUS, d.previousProviderStatus(), true);
            string(g, STATUS, d.status() == null ? null : d.status().name(), true);
            if (d.task() != null) {
                g.writeFieldName(TASK);
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
            string(g, PROVIDER, t.provider(), true);
            string(g, SOURCE, t.source(), true);
            string(g, ACCOUNT, t.account(), true);
            string(g, REGION, t.region(), true);
            string(g, NAMESPACE, t.namespace(), true);
            string(g, FUNCTION, t.function(), true);
            string(g, QUALIFIER, t.qualifier(), true);
            string(g, TASK_ID, t.taskId());
            string(g, REQUEST_ID, t.requestId());
            string(g, STATUS, t.status() == null ? null : t.status().name(), true);
            string(g, PROVIDER_STATUS, t.providerStatus(), true);
            g.writeFieldName(TERMINAL);
            g.writeBoolean(t.terminal());
            instant(g, STARTED_AT, t.startedAt());
            instant(g, ENDED_AT, t.endedAt());
            number(g, DURATION_MS, t.durationMs());
            instant(g, STATUS_TIME, t.statusTime());
            number(g, RETRIES, t.retries());
            string(g, ERROR_CODE, t.errorCode());
            string(g, ERROR_MESSAGE, t.errorMessage());
            string(g, DESTINATION_STATUS, t.destinationStatus(), true);
            string(g, INVOKE_TYPE, t.invokeType(), true);
            string(g, INSTANCE_ID, t.instanceId());
            string(g, PAYLOAD, t.payload());
            string(g, RESULT, t.result());
            g.writeEndObject();
        }
    }

    /** Left out when null, as {@link Json#MAPPER}'s inclusion rule does. */
    private static void string(JsonGenerator g, SerializedString name, String value) throws IOException {
        string(g, name, value, false);
    }

    /** @param repeats the value is one of few (a name, a status), whose bytes are kept */
    private static void string(JsonGenerator g, SerializedString name, String value, boolean repeats)
            throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            SerializedString encoded = repeats ? encoded(value) : null;
            if (encoded != null) {
                g.writeString(encoded);
            } else {
                g.writeString(value);
            }
        }
    }

    /** The value's bytes, or null where they are not kept (not plain ASCII, or the store is full). */
    private static SerializedString encoded(String value) {
        SerializedString known = ENCODED.get(value);
        if (known == null && ENCODED.size() < MAX_ENCODED) {
            known = ENCODED.computeIfAbsent(value, v -> plainAscii(v) ? new SerializedString(v) : NOT_KEPT);
        }
        return known == NOT_KEPT ? null : known;
    }

    /**
     * Printable ASCII with nothing to escape: the only values kept, because for those the encoded bytes are
     * certainly the generator's own (for a character beyond the Basic Multilingual Plane, say, the generator
     * writes an escaped surrogate pair, the encoder four bytes of UTF-8).
     */
    private static boolean plainAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static void number(JsonGenerator g, SerializedString name, Long value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeNumber(value.longValue());
        }
    }

    private static void instant(JsonGenerator g, SerializedString name, Instant value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            char[] chars = IsoInstant.chars(value);
            if (chars != null) {
                g.writeString(chars, 0, chars.length);
            } else {
                g.writeString(value.toString());
            }
        }
    }
}
