package org.asynctask.exporter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.asynctask.exporter.Json;

/** What a group member's {@code /status} says, read over HTTP as an operator would: its shards and partitions. */
public final class MemberStatus {
    private MemberStatus() {}

    /** The whole answer; empty while nothing answers on the port (a member starting or gone). */
    public static JsonNode status(int port) {
        try {
            return Json.MAPPER.readTree(Readiness.get(port, "/status").body());
        } catch (UncheckedIOException notYet) {
            return Json.MAPPER.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shards the member holds. */
    public static Set<Integer> held(int port) {
        Set<Integer> held = new TreeSet<>();
        status(port).path("group").path("held").forEach(s -> held.add(s.asInt()));
        return held;
    }

    /** The partitions the member polls, each with its {@code lastPoll} and {@code scannedTo}. */
    public static JsonNode partitions(int port) {
        return status(port).path("partitions");
    }

    /** How many partitions, over all these members, had a poll since {@code sinceMs}. */
    public static int polledSince(Collection<Integer> ports, long sinceMs) {
        int n = 0;
        for (int port : ports) {
            for (JsonNode p : partitions(port)) {
                if (p.has("lastPoll")
                        && Instant.parse(p.get("lastPoll").asText()).toEpochMilli() >= sinceMs) {
                    n++;
                }
            }
        }
        return n;
    }
}
