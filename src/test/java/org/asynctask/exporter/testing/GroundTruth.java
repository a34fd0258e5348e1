package org.asynctask.exporter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.asynctask.exporter.Json;

/**
 * The simulator's transitions.jsonl: every task, known by provider, partition and task id (the same id
 * may occur in two functions), with its qualifier and its statuses in the order they happened, each
 * with its time.
 */
public final class GroundTruth {
    /** Which task: the provider, the function as {@code [namespace/]name}, and its id. */
    public record TaskRef(String provider, String partition, String taskId) {
        @Override
        public String toString() {
            return provider + " " + partition + " " + taskId;
        }
    }

    /** One status of a task, effective from {@code atMs}. */
    public record Transition(String status, long atMs) {}

    /** One task and everything that happened to it. */
    public record TrueTask(TaskRef ref, String qualifier, List<Transition> transitions) {
        public String finalStatus() {
            return transitions.get(transitions.size() - 1).status();
        }

        public List<String> statuses() {
            return transitions.stream().map(Transition::status).toList();
        }
    }

    private final Map<TaskRef, TrueTask> tasks;
    private final Map<String, List<String>> statusesById = new LinkedHashMap<>();

    private GroundTruth(Map<TaskRef, TrueTask> tasks) {
        this.tasks = tasks;
        tasks.values().forEach(t -> statusesById.put(t.ref().taskId(), t.statuses()));
    }

    public static GroundTruth read(Path transitions) {
        Map<TaskRef, TrueTask> byTask = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(transitions)) {
                JsonNode t = Json.MAPPER.readTree(line);
                TaskRef ref = new TaskRef(
                        t.get("provider").asText(),
                        t.get("partition").asText(),
                        t.get("taskId").asText());
                byTask.computeIfAbsent(
                                ref, r -> new TrueTask(r, t.path("qualifier").asText(null), new ArrayList<>()))
                        .transitions()
                        .add(new Transition(
                                t.get("status").asText(),
                                Instant.parse(t.get("time").asText()).toEpochMilli()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GroundTruth(byTask);
    }

    /** The tasks that {@code keep} accepts (e.g. of one provider). */
    public GroundTruth only(Predicate<TaskRef> keep) {
        Map<TaskRef, TrueTask> kept = new LinkedHashMap<>();
        tasks.forEach((ref, t) -> {
            if (keep.test(ref)) {
                kept.put(ref, t);
            }
        });
        return new GroundTruth(kept);
    }

    public Collection<TrueTask> tasks() {
        return tasks.values();
    }

    /** The task, or null when the simulator never had it. */
    public TrueTask task(TaskRef ref) {
        return tasks.get(ref);
    }

    /** Per task id, its raw statuses in order (task ids are unique in the simulator's random world). */
    public Map<String, List<String>> statusesByTask() {
        return statusesById;
    }

    /** When each status change happened: "taskId|status" → epoch ms (the first time, if a status repeats). */
    public static Map<String, Long> changeTimes(Path transitions) {
        Map<String, Long> at = new HashMap<>();
        read(transitions)
                .tasks()
                .forEach(t ->
                        t.transitions().forEach(s -> at.putIfAbsent(t.ref().taskId() + "|" + s.status(), s.atMs())));
        return at;
    }

    /** Task id → time of its first status (its start), from the simulator's transition log. */
    public static Map<String, Long> startTimes(Path transitions) {
        Map<String, Long> at = new HashMap<>();
        read(transitions)
                .tasks()
                .forEach(t -> at.put(t.ref().taskId(), t.transitions().get(0).atMs()));
        return at;
    }

    public String finalStatus(String taskId) {
        List<String> s = statusesById.get(taskId);
        return s.get(s.size() - 1);
    }
}
