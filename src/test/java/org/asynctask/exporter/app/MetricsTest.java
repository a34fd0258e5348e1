package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.cli.Cli;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running exporter serves Prometheus metrics and per-source health over HTTP. */
class MetricsTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void metricsMatchWhatWasPublishedAndABrokenSourceIsReportedNotReady() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            Map<String, String> raw = new HashMap<>(TestExporter.raw(
                    sim,
                    TestExporter.FAST_POLLING,
                    TestExporter.scfWithinItsRateLimit(Map.of(
                            "exporter.metrics.port", Integer.toString(port), "exporter.metrics.host", "127.0.0.1"))));
            // A copy of the FC 3.0 source whose access key the simulator does not know.
            raw.keySet().stream()
                    .filter(k -> k.startsWith("exporter.source.fc3-demo."))
                    .toList()
                    .forEach(k -> raw.put(k.replace("fc3-demo", "broken-fc3"), raw.get(k)));
            raw.put("exporter.source.broken-fc3.access-key-id", "LTAI-unknown-key-for-the-test");
            ExporterConfig config = ExporterConfig.parse(raw, System::getenv, Providers.catalog());
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                // Until the working sources have published finished tasks and the broken one has failed and backed off.
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    String now = get(port, "/metrics").body();
                    return sum(now, "asynctask_tasks_finished_total") > 0
                            && sum(now, "asynctask_exporter_backoff_seconds_total\\{[^}]*source=\"broken-fc3\"") > 0;
                });
                String first = get(port, "/metrics").body();
                double firstSuccess = max(first, "asynctask_exporter_last_success_timestamp_seconds");
                await().atMost(Duration.ofSeconds(10))
                        .until(() ->
                                max(get(port, "/metrics").body(), "asynctask_exporter_last_success_timestamp_seconds")
                                        > firstSuccess);
                String metrics = get(port, "/metrics").body();

                assertThat(sum(metrics, "asynctask_exporter_events_published_total"))
                        .isPositive();
                assertThat(sum(metrics, "asynctask_exporter_api_calls_total\\{[^}]*outcome=\"ok\""))
                        .isPositive();
                assertThat(
                                sum(
                                        metrics,
                                        "asynctask_exporter_api_calls_total\\{[^}]*code=\"InvalidAccessKeyId.NotFound\"[^}]*outcome=\"permanent\"[^}]*source=\"broken-fc3\""))
                        .isPositive();
                assertThat(sum(metrics, "asynctask_exporter_backoff_seconds_total\\{[^}]*source=\"broken-fc3\""))
                        .isPositive();
                assertThat(sum(metrics, "asynctask_tasks_finished_total")).isPositive();
                assertThat(sum(metrics, "asynctask_task_duration_seconds_count"))
                        .isPositive();
                // Lag and age are finite and move: a later scrape shows a fresher last success.
                assertThat(metrics)
                        .contains("asynctask_exporter_checkpoint_lag_seconds{")
                        .contains("asynctask_exporter_open_tasks{")
                        .contains("asynctask_exporter_oldest_open_task_age_seconds{")
                        .contains("asynctask_exporter_poll_duration_seconds_bucket{")
                        .contains("asynctask_tasks_running{");
                // Bounded by the interval (SCF's 1 s), the safety lag and the re-scan window (1.3 s), with room
                // for a poll that waits on a loaded machine.
                assertThat(max(metrics, "asynctask_exporter_checkpoint_lag_seconds"))
                        .isBetween(0.0, 10.0);
                assertThat(max(metrics, "asynctask_exporter_last_success_timestamp_seconds"))
                        .isGreaterThan(max(first, "asynctask_exporter_last_success_timestamp_seconds"));
                // Camel's own route metrics share the registry.
                assertThat(metrics).contains("camel_");
                // Bounded: what each polled function adds to a scrape (the lines labelled with it) stays under 2 KB,
                // and no line carries a task id.
                List<String> functionLines = metrics.lines()
                        .filter(l -> !l.startsWith("#") && l.contains("function=\""))
                        .toList();
                long functionBytes =
                        functionLines.stream().mapToLong(l -> l.length() + 1).sum();
                int functions = app.partitions().size();
                assertThat(functionBytes / functions)
                        .as("bytes of /metrics per polled function")
                        .isLessThanOrEqualTo(2048);
                assertThat(functionLines.size() / (double) functions)
                        .as("series per polled function")
                        .isLessThanOrEqualTo(16);
                assertThat(metrics)
                        .as("per-source task duration histograms by default")
                        .doesNotContainPattern("asynctask_task_duration_seconds_bucket\\{[^}]*function=");
                assertThat(metrics).contains("asynctask_task_duration_seconds_bucket{");
                for (String line :
                        metrics.lines().filter(l -> !l.startsWith("#")).toList()) {
                    assertThat(line)
                            .as("a metric labelled with a task id")
                            .doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
                }
                // The Grafana dashboard in the repository queries only metrics that are served.
                JsonNode dashboard =
                        Json.MAPPER.readTree(Files.readString(Path.of("dashboards", "async-task-exporter.json")));
                List<String> queried = new ArrayList<>();
                dashboard
                        .path("panels")
                        .forEach(panel -> panel.path("targets").forEach(target -> {
                            Matcher names = Pattern.compile("asynctask_[a-z_]+")
                                    .matcher(target.path("expr").asText());
                            while (names.find()) {
                                queried.add(names.group());
                            }
                        }));
                assertThat(queried).hasSizeGreaterThan(10);
                assertThat(queried)
                        .allSatisfy(name ->
                                assertThat(metrics).as("served: " + name).containsPattern("(?m)^" + name + "[{ ]"));

                HttpResponse<String> ready = get(port, "/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body())
                        .contains("source-broken-fc3")
                        .contains("InvalidAccessKeyId")
                        .doesNotContain("LTAI-unknown-key-for-the-test");
                assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
                String all = get(port, "/health").body();
                assertThat(all).contains("source-fc3-demo");

                // GET /status: every partition with its state and numbers, every source with its readiness.
                JsonNode report = Json.MAPPER.readTree(get(port, "/status").body());
                assertThat(report.path("ready").asBoolean()).isFalse();
                Map<String, JsonNode> byPartition = new HashMap<>();
                report.path("partitions")
                        .forEach(p -> byPartition.put(
                                p.path("source").asText() + " "
                                        + p.path("function").asText(),
                                p));
                assertThat(byPartition).hasSize(app.partitions().size());
                JsonNode orders = byPartition.get("fc3-demo orders");
                assertThat(orders.path("state").asText()).isEqualTo("ok");
                assertThat(orders.path("lagSeconds").asDouble()).isBetween(0.0, 3600.0);
                assertThat(Instant.parse(orders.path("lastPoll").asText()))
                        .isAfter(Instant.now().minusSeconds(10));
                long openByStatus = 0;
                for (JsonNode n : orders.path("openByStatus")) {
                    openByStatus += n.asLong();
                }
                assertThat(orders.path("openTasks").asLong()).isEqualTo(openByStatus);
                JsonNode broken = byPartition.get("broken-fc3 orders");
                assertThat(broken.path("state").asText()).isEqualTo("failed");
                assertThat(broken.path("lastError").asText())
                        .contains("InvalidAccessKeyId")
                        .doesNotContain("LTAI-unknown-key-for-the-test");
                assertThat(report.path("sources").findValuesAsText("status")).contains("UP", "DOWN");

                // `status` prints every partition and every source's health, and says by its exit code that one fails.
                ByteArrayOutputStream status = new ByteArrayOutputStream();
                int code = Cli.run(
                        new String[] {"status", "--url", "http://127.0.0.1:" + port},
                        new PrintStream(status, true, StandardCharsets.UTF_8),
                        System.err);
                String table = status.toString(StandardCharsets.UTF_8);
                assertThat(code).as(table).isEqualTo(3);
                assertThat(table)
                        .containsPattern("(?m)^fc3-demo +orders +ok +\\d\\d:\\d\\d:\\d\\d +\\d+ s +\\d+ ")
                        .containsPattern("(?m)^broken-fc3 +orders +failed +- ")
                        .containsPattern("(?m)^  broken-fc3 orders, \\d+ s ago: .*InvalidAccessKeyId")
                        .containsPattern("(?m)^huawei-demo +default/resize ")
                        .contains("source fc3-demo: UP")
                        .contains("source broken-fc3: DOWN — ")
                        .contains("InvalidAccessKeyId")
                        .doesNotContain("LTAI-unknown-key-for-the-test");
                assertThat(Cli.run(
                                new String[] {"status", "--url", "http://127.0.0.1:1"},
                                new PrintStream(new ByteArrayOutputStream(), true),
                                new PrintStream(new ByteArrayOutputStream(), true)))
                        .as("no exporter there")
                        .isEqualTo(1);
                app.close();
                // Once stopped: every event in the files was counted once, and every finished task's final event too.
                String last = ((PrometheusMeterRegistry) app.metrics().registry()).scrape();
                List<String> lines = eventLines(TestExporter.eventsDir(sim));
                assertThat(sum(last, "asynctask_exporter_events_published_total"))
                        .isEqualTo(lines.size());
                assertThat(sum(last, "asynctask_tasks_finished_total"))
                        .isEqualTo(lines.stream()
                                .filter(l -> l.contains("\"terminal\":true"))
                                .count());
            }
        }
    }

    private static List<String> eventLines(Path events) throws Exception {
        try (Stream<Path> files = Files.walk(events)) {
            List<String> lines = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                lines.addAll(Files.readAllLines(f));
            }
            return lines;
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sum of every sample whose line starts with {@code namePattern} (a regex). */
    private static double sum(String metrics, String namePattern) {
        double total = 0;
        Matcher m = Pattern.compile("(?m)^" + namePattern + "[^\\n]*? ([0-9.eE+-]+)$")
                .matcher(metrics);
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    private static double max(String metrics, String name) {
        double max = Double.NEGATIVE_INFINITY;
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} ([0-9.eE+-]+)$").matcher(metrics);
        while (m.find()) {
            max = Math.max(max, Double.parseDouble(m.group(1)));
        }
        return max;
    }
}
