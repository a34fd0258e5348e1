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
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asynctask.exporter.Json;

/**
 * {@code status}: asks a running exporter (its metrics and health endpoints) how every partition is
 * doing and prints one line per partition, then one per source. Exit code 0 when every source is UP,
 * 3 when one is not, 1 when the exporter cannot be reached.
 */
final class StatusCommand {
    private static final Pattern SAMPLE = Pattern.compile("(?m)^(asynctask_[a-z_]+)\\{([^}]*)} ([0-9.eE+-]+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** What the metrics say about one partition: metric name → value. */
    private record Partition(String source, String function, Map<String, Double> values) {
    }

    private StatusCommand() {
    }

    static int run(String baseUrl, PrintStream out) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String metrics = get(http, baseUrl + "/metrics").body();
        HttpResponse<String> health = get(http, baseUrl + "/health");
        Map<String, Partition> partitions = new TreeMap<>();
        Matcher m = SAMPLE.matcher(metrics);
        while (m.find()) {
            Map<String, String> labels = new TreeMap<>();
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            if (labels.containsKey("source") && labels.containsKey("function") && !labels.containsKey("status")) {
                partitions.computeIfAbsent(labels.get("source") + " " + labels.get("function"),
                        k -> new Partition(labels.get("source"), labels.get("function"), new TreeMap<>()))
                        .values().put(m.group(1), Double.parseDouble(m.group(3)));
            }
        }
        long now = System.currentTimeMillis();
        String format = "%-16s %-28s %-9s %8s %6s %12s %10s%n";
        out.printf(Locale.ROOT, format, "SOURCE", "FUNCTION", "WATERMARK", "LAG", "OPEN", "OLDEST OPEN", "LAST POLL");
        for (Partition p : partitions.values()) {
            Double lag = p.values().get("asynctask_exporter_checkpoint_lag_seconds");
            Double lastSuccess = p.values().get("asynctask_exporter_last_success_timestamp_seconds");
            out.printf(Locale.ROOT, format, p.source(), p.function(),
                    lag == null ? "-" : UTC_TIME.format(Instant.ofEpochMilli(now - (long) (lag * 1000))),
                    lag == null ? "-" : seconds(lag),
                    value(p, "asynctask_tasks_running"),
                    p.values().containsKey("asynctask_exporter_oldest_open_task_age_seconds")
                            ? seconds(p.values().get("asynctask_exporter_oldest_open_task_age_seconds")) : "-",
                    lastSuccess == null ? "never" : seconds((now - lastSuccess * 1000) / 1000) + " ago");
        }
        out.println();
        boolean allUp = true;
        for (JsonNode check : Json.MAPPER.readTree(health.body()).path("checks")) {
            String name = check.path("name").asText();
            if (!name.startsWith("source-")) {
                continue;
            }
            boolean up = check.path("status").asText().equals("UP");
            allUp &= up;
            out.println("source " + name.substring("source-".length()) + ": " + check.path("status").asText()
                    + (up ? "" : " — " + check.path("message").asText()));
        }
        out.println("(watermark in UTC; partitions appear after their first successful poll)");
        return allUp ? 0 : 3;
    }

    private static String value(Partition p, String metric) {
        Double v = p.values().get(metric);
        return v == null ? "-" : Long.toString(Math.round(v));
    }

    private static String seconds(double s) {
        if (s < 120) {
            return String.format(Locale.ROOT, "%.0f s", s);
        }
        return s < 7200 ? String.format(Locale.ROOT, "%.0f m", s / 60) : String.format(Locale.ROOT, "%.1f h", s / 3600);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("no exporter answers at " + url + " (" + e.getClass().getSimpleName() + "); is it running, "
                    + "and is --url its exporter.metrics.port?", e);
        }
    }
}
