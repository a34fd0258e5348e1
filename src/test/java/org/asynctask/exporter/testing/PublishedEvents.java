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
    }

    public static PublishedEvents read(Path eventsDir) {
        List<Event> events = new ArrayList<>();
        if (!Files.exists(eventsDir)) {
            return new PublishedEvents(events);
        }
        try (Stream<Path> files = Files.walk(eventsDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    events.add(new Event(line, Json.MAPPER.readTree(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PublishedEvents(events);
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
