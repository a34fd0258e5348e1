package org.asynctask.exporter.checkpoint;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.task.TrackedTask;

/** The stored form of a checkpoint, the same in files and on the checkpoint topic: JSON with its partition. */
public final class CheckpointCodec {
    private CheckpointCodec() {}

    /** The checkpoint with its partition as JSON, the tracked tasks written one by one without a map of them. */
    public static byte[] encode(PartitionKey partition, Checkpoint checkpoint) {
        return encode(partition, checkpoint, null);
    }

    /** @param generation names the snapshot for its {@link CheckpointLog}; null when it has none */
    static byte[] encode(PartitionKey partition, Checkpoint checkpoint, String generation) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(256 + checkpoint.tracked().size() * 72);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectField("partition", partition.toMap());
            if (generation != null) {
                g.writeStringField("generation", generation);
            }
            writeHeader(g, checkpoint);
            g.writeObjectFieldStart("tracked");
            for (Map.Entry<String, TrackedTask> t : checkpoint.tracked().entrySet()) {
                writeTask(g, t.getKey(), t.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Every field of the checkpoint but its tracked tasks ({@link Checkpoint#headerMap()}). */
    static void writeHeader(JsonGenerator g, Checkpoint checkpoint) throws IOException {
        for (Map.Entry<String, Object> field : checkpoint.headerMap().entrySet()) {
            g.writeObjectField(field.getKey(), field.getValue());
        }
    }

    /** One tracked task as {@code id: [status, startedAtMs, terminal]}: compact on disk. */
    static void writeTask(JsonGenerator g, String id, TrackedTask t) throws IOException {
        g.writeArrayFieldStart(id);
        g.writeString(t.providerStatus());
        g.writeNumber(t.startedAtMs());
        g.writeNumber(t.terminal() ? 1 : 0);
        if (t.statusTimeMs() != 0) {
            g.writeNumber(t.statusTimeMs());
        }
        g.writeEndArray();
    }

    /** The task {@link #writeTask} wrote, as the JSON parser gives it back. */
    static TrackedTask readTask(Object stored) {
        List<?> a = (List<?>) stored;
        return new TrackedTask(
                ((String) a.get(0)).intern(),
                ((Number) a.get(1)).longValue(),
                ((Number) a.get(2)).intValue() == 1,
                a.size() > 3 ? ((Number) a.get(3)).longValue() : 0);
    }

    /** @throws IOException or IllegalArgumentException when the bytes are not a checkpoint */
    public static Checkpoint decode(byte[] bytes) throws IOException {
        return Checkpoint.fromMap(toMap(bytes));
    }

    static Map<String, Object> toMap(byte[] bytes) throws IOException {
        return Json.MAPPER.readValue(bytes, new TypeReference<Map<String, Object>>() {});
    }

    /** The partition a stored checkpoint belongs to (it is stored with it). */
    public static PartitionKey partitionOf(byte[] bytes) throws IOException {
        return partitionOf(toMap(bytes));
    }

    /** @throws IOException when the stored checkpoint names no partition */
    @SuppressWarnings("unchecked")
    static PartitionKey partitionOf(Map<String, Object> stored) throws IOException {
        if (!(stored.get("partition") instanceof Map<?, ?> m)) {
            throw new IOException("no partition in the stored checkpoint");
        }
        return PartitionKey.fromMap((Map<String, String>) m);
    }
}
