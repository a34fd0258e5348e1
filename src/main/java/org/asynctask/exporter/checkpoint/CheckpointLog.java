package org.asynctask.exporter.checkpoint;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.task.TrackedTask;

/**
 * The changes since a checkpoint snapshot, one line per save, so that a save writes what changed, not
 * every tracked task (a million of them take 68 MB). Each line is {@code CRC32 JSON}; the JSON has the
 * checkpoint's header fields (watermark, scan, cursors) and the tracked tasks that changed, {@code put}
 * ({@code id: [status, startedAtMs, terminal]}) or {@code remove}d. The first line names the snapshot's
 * generation: a log left over from an older snapshot (a crash between writing a snapshot and deleting
 * the old log) is not replayed onto a newer one.
 */
final class CheckpointLog {
    private CheckpointLog() {}

    /** The first line of the log of the snapshot of this generation. */
    static byte[] header(String generation) {
        return line(Json.MAPPER
                .createObjectNode()
                .put("generation", generation)
                .toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    /** One line: the header fields of the checkpoint, and its tracked tasks among {@link Checkpoint#unsaved()}. */
    static byte[] delta(Checkpoint checkpoint) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(256 + checkpoint.unsaved().size() * 72);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            CheckpointCodec.writeHeader(g, checkpoint);
            g.writeObjectFieldStart("put");
            for (String id : checkpoint.unsaved()) {
                TrackedTask t = checkpoint.tracked().get(id);
                if (t != null) {
                    CheckpointCodec.writeTask(g, id, t);
                }
            }
            g.writeEndObject();
            g.writeArrayFieldStart("remove");
            for (String id : checkpoint.unsaved()) {
                if (!checkpoint.tracked().containsKey(id)) {
                    g.writeString(id);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line(out.toByteArray());
    }

    private static byte[] line(byte[] json) {
        CRC32 crc = new CRC32();
        crc.update(json);
        byte[] prefix = String.format("%08x ", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[prefix.length + json.length + 1];
        System.arraycopy(prefix, 0, line, 0, prefix.length);
        System.arraycopy(json, 0, line, prefix.length, json.length);
        line[line.length - 1] = '\n';
        return line;
    }

    /**
     * What replaying a log onto its snapshot gave.
     *
     * @param checkpoint the snapshot with every complete line applied
     * @param validBytes length of the log up to its last complete line (0: no log of this generation)
     * @param tornTail   the log ends in a line not completely written (a save that never returned):
     *                   ignored, and nothing may be appended after it
     */
    record Replayed(Checkpoint checkpoint, long validBytes, boolean tornTail) {}

    /**
     * @throws IOException when a line other than the last is damaged: that is not a torn write, and
     *                     replaying around it would load a checkpoint that never was
     */
    static Replayed replay(Checkpoint snapshot, String generation, byte[] log) throws IOException {
        List<byte[]> lines = lines(log);
        long valid = 0;
        // The header fields of the last line replayed, and the tracked tasks once a line changed them.
        Checkpoint header = null;
        Map<String, TrackedTask> tracked = null;
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = lines.get(i);
            Map<String, Object> record = parse(line);
            if (record == null) {
                if (i == lines.size() - 1) {
                    return new Replayed(replayed(snapshot, header, tracked), valid, true);
                }
                throw new IOException("line " + (i + 1) + " of the checkpoint log is damaged");
            }
            if (i == 0) {
                if (!generation.equals(record.get("generation"))) {
                    // Left over from an older snapshot: this one already holds all of it.
                    return new Replayed(snapshot, 0, false);
                }
            } else {
                if (tracked == null) {
                    tracked = new HashMap<>(snapshot.tracked());
                }
                apply(record, tracked);
                header = Checkpoint.fromMap(record);
            }
            valid += line.length;
        }
        return new Replayed(replayed(snapshot, header, tracked), valid, false);
    }

    private static Checkpoint replayed(Checkpoint snapshot, Checkpoint header, Map<String, TrackedTask> tracked) {
        return header == null ? snapshot : header.withTracked(Collections.unmodifiableMap(tracked));
    }

    @SuppressWarnings("unchecked")
    private static void apply(Map<String, Object> record, Map<String, TrackedTask> tracked) {
        ((Map<String, Object>) record.getOrDefault("put", Map.of()))
                .forEach((id, v) -> tracked.put(id, CheckpointCodec.readTask(v)));
        for (Object id : (List<Object>) record.getOrDefault("remove", List.of())) {
            tracked.remove((String) id);
        }
    }

    /** The record of one line with its newline, or null when it is damaged or incomplete. */
    private static Map<String, Object> parse(byte[] line) {
        if (line.length < 10 || line[line.length - 1] != '\n' || line[8] != ' ') {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(line, 9, line.length - 10);
        if (!String.format("%08x", crc.getValue()).equals(new String(line, 0, 8, StandardCharsets.US_ASCII))) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(line, 9, line.length - 10, new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            return null;
        }
    }

    /** The log cut after each newline; the last piece may lack one (a torn write). */
    private static List<byte[]> lines(byte[] log) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < log.length; i++) {
            if (log[i] == '\n') {
                lines.add(Arrays.copyOfRange(log, start, i + 1));
                start = i + 1;
            }
        }
        if (start < log.length) {
            lines.add(Arrays.copyOfRange(log, start, log.length));
        }
        return lines;
    }
}
