package org.asynctask.exporter.simulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.asynctask.exporter.Json;

/**
 * The simulator's ground truth: every status transition it made, one JSON line each
 * ({@code provider, partition, qualifier, taskId, status, time}), in the order they happened per task.
 */
public final class TransitionLog implements AutoCloseable {
    private final BufferedWriter out;

    public TransitionLog(Path file) {
        try {
            Files.createDirectories(file.getParent());
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ground truth to " + file, e);
        }
    }

    void record(FunctionSim f, SimTask task, SimTask.Step step) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("provider", f.provider);
        line.put("partition", f.label());
        line.put("qualifier", task.qualifier);
        line.put("taskId", task.id);
        line.put("status", step.status());
        line.put("time", Instant.ofEpochMilli(step.atMs()).toString());
        try {
            out.write(Json.MAPPER.writeValueAsString(line));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // shutting down
        }
    }
}
