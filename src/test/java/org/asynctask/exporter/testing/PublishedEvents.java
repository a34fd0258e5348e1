package org.asynctask.exporter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.asynctask.exporter.Json;

/** Every event line the file sink wrote, in file order, with the raw line kept for byte comparisons. */
public record PublishedEvents(List<Event> events) {

    /** One line of a JSON Lines event file. */
    public record Event(String line, JsonNode json) {
        public String id() { return json.get("id").asText(); }
        public String taskId() { return json.at("/data/task/taskId").asText(); }
        public String providerStatus() { return json.at("/data/task/providerStatus").asText(); }
        public JsonNode previousProviderStatus() { return json.at("/data/previousProviderStatus"); }
        public JsonNode task() { return json.at("/data/task"); }
        public String provider() { return task().path("provider").asText(); }

        /** The function as the ground truth names it: {@code [namespace/]name}. */
        public String partition() {
            return (task().has("namespace") ? task().get("namespace").asText() + "/" : "") + task().path("function").asText();
        }

        public GroundTruth.TaskRef ref() {
            return new GroundTruth.TaskRef(provider(), partition(), taskId());
        }

        public long timeMs() {
            return java.time.Instant.parse(json.get("time").asText()).toEpochMilli();
        }
    }

    /** Every event in the directory's files; read again when a file was compressed (renamed) while reading. */
    public static PublishedEvents read(Path eventsDir) {
        for (int attempt = 1; ; attempt++) {
            try {
                return readOnce(eventsDir);
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static PublishedEvents readOnce(Path eventsDir) {
        List<Event> events = new ArrayList<>();
        if (!Files.exists(eventsDir)) {
            return new PublishedEvents(events);
        }
        try (Stream<Path> files = Files.walk(eventsDir)) {
            // Closed files may be gzipped (exporter.output.gzip), and may be while we read: a plain file
            // listed here can be gone by now, its .gz complete; one listed both ways is read once.
            List<Path> all = files.filter(p -> p.toString().endsWith(".jsonl") || p.toString().endsWith(".jsonl.gz")).sorted().toList();
            for (Path f : all) {
                if (!f.toString().endsWith(".gz") && all.contains(Path.of(f + ".gz"))) {
                    continue;
                }
                List<String> lines;
                try {
                    lines = lines(f);
                } catch (java.nio.file.NoSuchFileException compressedMeanwhile) {
                    lines = lines(Path.of(f + ".gz"));
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

    private static List<String> lines(Path f) throws IOException {
        if (!f.toString().endsWith(".gz")) {
            // A file being written may end in the part of a line written so far: it is not an event yet.
            byte[] bytes = Files.readAllBytes(f);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            return new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(f))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
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
        events.forEach(e -> m.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(e));
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
