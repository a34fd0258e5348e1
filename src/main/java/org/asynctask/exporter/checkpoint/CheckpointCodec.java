package org.asynctask.exporter.checkpoint;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.asynctask.exporter.task.TrackedTask;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.provider.PartitionKey;

/** The stored form of a checkpoint, the same in files and on the checkpoint topic: JSON with its partition. */
public final class CheckpointCodec {
    private CheckpointCodec() {
    }

    /** The checkpoint with its partition as JSON, the tracked tasks written one by one without a map of them. */
    public static byte[] encode(PartitionKey partition, Checkpoint checkpoint) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + checkpoint.tracked().size() * 72);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectField("partition", partition.toMap());
            for (Map.Entry<String, Object> field : checkpoint.headerMap().entrySet()) {
                g.writeObjectField(field.getKey(), field.getValue());
            }
            g.writeObjectFieldStart("tracked");
            for (Map.Entry<String, TrackedTask> t : checkpoint.tracked().entrySet()) {
                g.writeArrayFieldStart(t.getKey());
                g.writeString(t.getValue().providerStatus());
                g.writeNumber(t.getValue().startedAtMs());
                g.writeNumber(t.getValue().terminal() ? 1 : 0);
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @throws IOException or IllegalArgumentException when the bytes are not a checkpoint */
    public static Checkpoint decode(byte[] bytes) throws IOException {
        return Checkpoint.fromMap(Json.MAPPER.readValue(bytes, new TypeReference<Map<String, Object>>() { }));
    }

    /** The partition a stored checkpoint belongs to (it is stored with it). */
    @SuppressWarnings("unchecked")
    public static PartitionKey partitionOf(byte[] bytes) throws IOException {
        Object partition = Json.MAPPER.readValue(bytes, new TypeReference<Map<String, Object>>() { }).get("partition");
        if (!(partition instanceof Map<?, ?> m)) {
            throw new IOException("no partition in the stored checkpoint");
        }
        return PartitionKey.fromMap((Map<String, String>) m);
    }
}
