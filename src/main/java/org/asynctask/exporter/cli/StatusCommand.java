package org.asynctask.exporter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.asynctask.exporter.Json;

/**
 * {@code status}: asks a running exporter ({@code GET /status} on its metrics port) how every partition
 * is doing and prints one line per partition, its last error, and the readiness of each source, the
 * sink and the checkpoint store. Exit code 0 when all are UP, 3 when one is not, 1 when the exporter
 * cannot be reached.
 */
final class StatusCommand {
    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String ROW = "%-16s %-28s %-8s %-9s %8s %6s %12s %10s%n";

    private StatusCommand() {}

    static int run(String baseUrl, PrintStream out) throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        JsonNode status = Json.MAPPER.readTree(get(http, baseUrl + "/status").body());
        Instant now = Instant.parse(status.path("time").asText());
        out.printf(
                Locale.ROOT,
                ROW,
                "SOURCE",
                "FUNCTION",
                "STATE",
                "WATERMARK",
                "LAG",
                "OPEN",
                "OLDEST OPEN",
                "LAST POLL");
        StringBuilder errors = new StringBuilder();
        for (JsonNode p : status.path("partitions")) {
            out.printf(
                    Locale.ROOT,
                    ROW,
                    p.path("source").asText(),
                    p.path("function").asText(),
                    p.path("state").asText(),
                    p.has("watermark")
                            ? UTC_TIME.format(Instant.parse(p.path("watermark").asText()))
                            : "-",
                    p.has("lagSeconds") ? seconds(p.path("lagSeconds").asDouble()) : "-",
                    p.has("openTasks") ? p.path("openTasks").asText() : "-",
                    p.has("oldestOpenAgeSeconds")
                            ? seconds(p.path("oldestOpenAgeSeconds").asDouble())
                            : "-",
                    ago(p, "lastPoll", now));
            if (p.has("lastError")) {
                errors.append("  ")
                        .append(p.path("source").asText())
                        .append(' ')
                        .append(p.path("function").asText())
                        .append(", ")
                        .append(ago(p, "lastErrorAt", now))
                        .append(": ")
                        .append(p.path("lastError").asText())
                        .append('\n');
            }
        }
        if (errors.length() > 0) {
            out.print("\nlast errors:\n" + errors);
        }
        out.println();
        for (JsonNode source : status.path("sources")) {
            boolean up = source.path("status").asText().equals("UP");
            out.println("source " + source.path("name").asText() + ": "
                    + source.path("status").asText()
                    + (up ? "" : " — " + source.path("reason").asText()));
        }
        for (JsonNode output : status.path("outputs")) {
            boolean up = output.path("status").asText().equals("UP");
            out.println(output.path("name").asText() + " "
                    + output.path("description").asText() + ": "
                    + output.path("status").asText()
                    + (up
                            ? ""
                            : " since " + output.path("since").asText() + " — "
                                    + output.path("reason").asText()));
        }
        JsonNode group = status.path("group");
        if (!group.isMissingNode()) {
            out.println("group " + group.path("id").asText() + " ("
                    + group.path("shards").asInt() + " shards): this is "
                    + group.path("member").asText() + ", holding shards " + group.path("held"));
            group.path("members")
                    .fields()
                    .forEachRemaining(m -> out.println("  member " + m.getKey() + ": shards " + m.getValue()));
        }
        out.println("(watermark in UTC)");
        return status.path("ready").asBoolean() ? 0 : 3;
    }

    private static String ago(JsonNode p, String field, Instant now) {
        if (!p.has(field)) {
            return "never";
        }
        return seconds(Duration.between(Instant.parse(p.path(field).asText()), now)
                                .toMillis()
                        / 1000.0) + " ago";
    }

    private static String seconds(double s) {
        if (s < 120) {
            return String.format(Locale.ROOT, "%.0f s", s);
        }
        return s < 7200 ? String.format(Locale.ROOT, "%.0f m", s / 60) : String.format(Locale.ROOT, "%.1f h", s / 3600);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException(
                    "no exporter answers at " + url + " (" + e.getClass().getSimpleName() + "); is it running, "
                            + "and is --url its exporter.metrics.port?",
                    e);
        }
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered HTTP " + response.statusCode()
                    + "; is --url an async-task-exporter's metrics port?");
        }
        return response;
    }
}
