package org.asynctask.exporter.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.health.OutputHealth;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.secret.Redaction;

/**
 * What {@code GET /status} answers and the {@code status} command prints: every source with its
 * readiness, the sink and the checkpoint store with theirs, and every polled partition with its state, watermark, lag, open tasks, last poll and last
 * error. Times are ISO-8601 UTC, durations in seconds; error texts have credentials masked.
 *
 * <p>Partition {@code state}: {@code ok}; {@code waiting} (no poll has succeeded yet); {@code retrying}
 * (the last poll failed and is retried with back-off); {@code failed} (an error that needs a fix);
 * {@code paused} (its source's circuit is open).
 */
public final class StatusReport {
    private final List<String> sources;
    private final List<OutputHealth> outputs;
    private final PollingView scheduler;
    private final ExporterMetrics metrics;
    private final Clock clock;
    private final Supplier<ObjectNode> group;

    /** @param group the group mode part (group, this member's shards, who holds the others); null without a group */
    public StatusReport(
            List<String> sources,
            List<OutputHealth> outputs,
            PollingView scheduler,
            ExporterMetrics metrics,
            Clock clock,
            Supplier<ObjectNode> group) {
        this.group = group;
        this.sources = sources;
        this.outputs = List.copyOf(outputs);
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.clock = clock;
    }

    public ObjectNode build() {
        long now = clock.millis();
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("time", Instant.ofEpochMilli(now).toString());
        ArrayNode sourceNodes = out.putArray("sources");
        boolean ready = true;
        for (String source : sources) {
            String problems = scheduler.problems(source);
            ready &= problems == null;
            ObjectNode s = sourceNodes.addObject().put("name", source).put("status", problems == null ? "UP" : "DOWN");
            if (problems != null) {
                s.put("reason", Redaction.scrub(problems));
            }
        }
        ArrayNode outputNodes = out.putArray("outputs");
        for (OutputHealth output : outputs) {
            String problem = output.problem();
            ready &= problem == null;
            ObjectNode o = outputNodes
                    .addObject()
                    .put("name", output.name())
                    .put("description", output.description())
                    .put("status", problem == null ? "UP" : "DOWN");
            if (problem != null) {
                o.put("reason", problem);
                o.put("since", Instant.ofEpochMilli(output.sinceMs()).toString());
            }
        }
        ObjectNode groupNode = group.get();
        if (groupNode != null) {
            ready &= groupNode.path("status").asText("UP").equals("UP");
        }
        out.put("ready", ready);
        if (groupNode != null) {
            out.set("group", groupNode);
        }
        ArrayNode partitions = out.putArray("partitions");
        for (PartitionState state : scheduler.states()) {
            partitions.add(partition(state, metrics.snapshot(state.key()), now));
        }
        return out;
    }

    private static ObjectNode partition(PartitionState state, ExporterMetrics.PartitionSnapshot snap, long now) {
        PartitionKey key = state.key();
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("source", key.source()).put("provider", key.provider()).put("function", ExporterMetrics.function(key));
        p.put(
                "state",
                state.needsFix() != null
                        ? "failed"
                        : state.sourcePaused()
                                ? "paused"
                                : state.failuresInARow() > 0 ? "retrying" : snap == null ? "waiting" : "ok");
        if (snap != null) {
            p.put("watermark", Instant.ofEpochMilli(snap.watermarkMs()).toString());
            p.put("lagSeconds", seconds(now - snap.watermarkMs()));
            p.put(
                    "openTasks",
                    snap.openByStatus().values().stream()
                            .mapToLong(Long::longValue)
                            .sum());
            p.set("openByStatus", Json.MAPPER.valueToTree(snap.openByStatus()));
            if (snap.oldestOpenStartMs() != Long.MAX_VALUE) {
                p.put("oldestOpenAgeSeconds", seconds(now - snap.oldestOpenStartMs()));
            }
            p.put("lastSuccess", Instant.ofEpochMilli(snap.lastSuccessMs()).toString());
            if (snap.scannedToMs() > 0) {
                p.put("scannedTo", Instant.ofEpochMilli(snap.scannedToMs()).toString());
            }
        }
        if (state.lastPollMs() > 0) {
            p.put("lastPoll", Instant.ofEpochMilli(state.lastPollMs()).toString());
        }
        p.put("polling", state.polling());
        p.put("failuresInARow", state.failuresInARow());
        if (state.lastError() != null) {
            p.put("lastError", Redaction.scrub(state.lastError()));
            p.put("lastErrorAt", Instant.ofEpochMilli(state.lastErrorMs()).toString());
        }
        return p;
    }

    private static double seconds(long ms) {
        return Math.max(0, ms) / 1000.0;
    }
}
