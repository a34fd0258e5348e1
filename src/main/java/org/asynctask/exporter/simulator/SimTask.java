package org.asynctask.exporter.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Supplier;
import org.asynctask.exporter.Json;

/**
 * One simulated task: its whole future is planned when it arrives ({@link #plan}), and
 * {@link #applied} says how much of it has happened. Read under the engine's lock.
 */
public final class SimTask {
    /** One planned status, effective from {@code atMs}. */
    public record Step(String status, long atMs, String detail) {}

    final FunctionSim function;
    final String id;
    final String requestId;
    final String qualifier;
    final long startedMs;
    final List<Step> plan;
    final String payload;
    int applied;
    /** The task's JSON in a list answer, for {@link #renderedKey}: a task that has not changed costs a copy. */
    private byte[] rendered;

    private int renderedKey = -1;

    SimTask(FunctionSim function, String id, String requestId, String qualifier, List<Step> plan, String payload) {
        this.function = function;
        this.id = id;
        this.requestId = requestId;
        this.qualifier = qualifier;
        this.startedMs = plan.get(0).atMs();
        this.plan = List.copyOf(plan);
        this.payload = payload;
    }

    /**
     * The task as JSON in a list answer, rendered again only once it changed: a finished backlog is
     * answered at the speed of a copy, so benchmarks measure the exporter, not the simulator.
     */
    byte[] renderedJson(boolean includePayload, Supplier<Object> render) {
        int key = applied * 2 + (includePayload ? 1 : 0);
        if (key != renderedKey) {
            try {
                rendered = Json.MAPPER.writeValueAsBytes(render.get());
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            renderedKey = key;
        }
        return rendered;
    }

    public String id() {
        return id;
    }

    public String requestId() {
        return requestId;
    }

    public String qualifier() {
        return qualifier;
    }

    public long startedMs() {
        return startedMs;
    }

    public String payload() {
        return payload;
    }

    /** The steps that have happened, oldest first. */
    public List<Step> history() {
        return plan.subList(0, applied);
    }

    public Step current() {
        return plan.get(applied - 1);
    }

    public String status() {
        return current().status();
    }

    /** When the next planned step happens (only for a task not finished). */
    long nextStepMs() {
        return plan.get(applied).atMs();
    }

    public boolean finished() {
        return applied == plan.size();
    }

    /** End time once finished, else 0. */
    public long endMs() {
        return finished() ? current().atMs() : 0;
    }

    /** How many times it went back to a retry so far. */
    public long retries() {
        String retry = function.lifecycle.retryStatus();
        return retry == null
                ? 0
                : history().stream().filter(s -> s.status().equals(retry)).count();
    }

    /** Start of the first run, or 0 if it never ran. */
    public long firstRunMs() {
        return history().stream()
                .filter(s -> s.status().equals(function.lifecycle.runningStatus()))
                .mapToLong(Step::atMs)
                .findFirst()
                .orElse(0);
    }
}
