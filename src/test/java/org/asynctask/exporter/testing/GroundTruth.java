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
import org.asynctask.exporter.Json;

/** The simulator's transitions.jsonl: per task, its raw statuses in the order they happened. */
public record GroundTruth(Map<String, List<String>> statusesByTask) {

    public static GroundTruth read(Path transitions) {
        Map<String, List<String>> byTask = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(transitions)) {
                JsonNode t = Json.MAPPER.readTree(line);
                byTask.computeIfAbsent(t.get("taskId").asText(), k -> new ArrayList<>()).add(t.get("status").asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GroundTruth(byTask);
    }

    /** When each status change happened: "taskId|status" → epoch ms (the first time, if a status repeats). */
    public static Map<String, Long> changeTimes(Path transitions) {
        Map<String, Long> at = new java.util.HashMap<>();
        try {
            for (String line : Files.readAllLines(transitions)) {
                JsonNode t = Json.MAPPER.readTree(line);
                at.putIfAbsent(t.get("taskId").asText() + "|" + t.get("status").asText(),
                        java.time.Instant.parse(t.get("time").asText()).toEpochMilli());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return at;
    }

    /** Task id → time of its first status (its start), from the simulator's transition log. */
    public static Map<String, Long> startTimes(Path transitions) {
        Map<String, Long> at = new java.util.HashMap<>();
        try {
            for (String line : Files.readAllLines(transitions)) {
                JsonNode t = Json.MAPPER.readTree(line);
                at.merge(t.get("taskId").asText(), java.time.Instant.parse(t.get("time").asText()).toEpochMilli(), Math::min);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return at;
    }

    public String finalStatus(String taskId) {
        List<String> s = statusesByTask.get(taskId);
        return s.get(s.size() - 1);
    }
}
