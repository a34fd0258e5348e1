package org.asynctask.exporter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.asynctask.exporter.Json;

/** Every event line the file sink wrote, in file order, with the raw line kept for byte comparisons. */
public record PublishedEvents(List<Event> events) {

    /** One line of a JSON Lines event file. */
    public record Event(String line, JsonNode json) {
        public String id() {
            return json.get("id").asText();
        }

        public String taskId() {
            return json.at("/data/task/taskId").asText();
        }

        public String providerStatus() {
            return json.at("/data/task/providerStatus").asText();
        }

        public JsonNode previousProviderStatus() {
            return json.at("/data/previousProviderStatus");
        }

        public JsonNode task() {
            return json.at("/data/task");
        }

        public String provider() {
            return task().path("provider").asText();
        }

        /** The function as the ground truth names it: {@code [namespace/]name}. */
        public String partition() {
            return (task().has("namespace") ? task().get("namespace").asText() + "/" : "")
                    + task().path("function").asText();
        }

        public GroundTruth.TaskRef ref() {
            return new GroundTruth.TaskRef(provider(), partition(), taskId());
        }

        public long timeMs() {
            return Instant.parse(json.get("time").asText()).toEpochMilli();
        }
    }

    /**
     * Every event in the directory's files while an exporter may be writing them (a last line written in
     * part is not an event yet); read again when a file was compressed (renamed) while reading.
     */
    public static PublishedEvents read(Path eventsDir) {
        return read(eventsDir, false);
    }

    /** Every event, once the exporter stopped: then a line written in part is a torn write, and fails. */
    public static PublishedEvents readAfterStop(Path eventsDir) {
        return read(eventsDir, true);
    }

    private static PublishedEvents read(Path eventsDir, boolean stopped) {
        for (int attempt = 1; ; attempt++) {
            try {
                return readOnce(eventsDir, stopped);
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException) || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static PublishedEvents readOnce(Path eventsDir, boolean stopped) {
        List<Event> events = new ArrayList<>();
        if (!Files.exists(eventsDir)) {
            return new PublishedEvents(events);
        }
        try (Stream<Path> files = Files.walk(eventsDir)) {
            // Closed files may be gzipped (exporter.output.gzip), and may be while we read: a plain file
            // listed here can be gone by now, its .gz complete; one listed both ways is read once.
            List<Path> all = files.filter(
                            p -> p.toString().endsWith(".jsonl") || p.toString().endsWith(".jsonl.gz"))
                    .sorted()
                    .toList();
            for (Path f : all) {
                if (!f.toString().endsWith(".gz") && all.contains(Path.of(f + ".gz"))) {
                    continue;
                }
                List<String> lines;
                try {
                    lines = lines(f, stopped);
                } catch (NoSuchFileException compressedMeanwhile) {
                    lines = lines(Path.of(f + ".gz"), stopped);
                }
                for (String line : lines) {
                    events.add(new Event(line, Json.MAPPER.readTree(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PublishedEvents(events);
    }

    private static List<String> lines(Path f, boolean stopped) throws IOException {
        byte[] bytes;
        if (f.toString().endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                bytes = in.readAllBytes();
            }
        } else {
            bytes = Files.readAllBytes(f);
        }
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length && (stopped || f.toString().endsWith(".gz"))) {
            throw new AssertionError(
                    f + " ends in a line written in part (" + (bytes.length - end) + " bytes without a newline)");
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8).lines().toList();
    }

    /** Events from JSON lines (file lines or Kafka record values), in the given order. */
    public static PublishedEvents of(List<String> lines) {
        List<Event> events = new ArrayList<>();
        try {
            for (String line : lines) {
                events.add(new Event(line, Json.MAPPER.readTree(line)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PublishedEvents(events);
    }

    /** Per task, the events in publication order. */
    public Map<String, List<Event>> byTask() {
        Map<String, List<Event>> m = new LinkedHashMap<>();
        events.forEach(
                e -> m.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(e));
        return m;
    }

    /** The first event of each id, in order: what a consumer that drops duplicate ids keeps. */
    public PublishedEvents firstOfEachId() {
        Map<String, Event> first = new LinkedHashMap<>();
        events.forEach(e -> first.putIfAbsent(e.id(), e));
        return new PublishedEvents(new ArrayList<>(first.values()));
    }

    /** The last published raw status of a task, or null if none. */
    public Map<String, String> lastStatusByTask() {
        Map<String, String> m = new LinkedHashMap<>();
        events.forEach(e -> m.put(e.taskId(), e.providerStatus()));
        return m;
    }
}
