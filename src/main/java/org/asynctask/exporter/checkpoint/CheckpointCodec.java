package org.asynctask.exporter.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.provider.PartitionKey;

/** The stored form of a checkpoint, the same in files and on the checkpoint topic: JSON with its partition. */
public final class CheckpointCodec {
    private CheckpointCodec() {
    }

    public static byte[] encode(PartitionKey partition, Checkpoint checkpoint) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("partition", partition.toMap());
        content.putAll(checkpoint.toMap());
        try {
            return Json.MAPPER.writeValueAsBytes(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
