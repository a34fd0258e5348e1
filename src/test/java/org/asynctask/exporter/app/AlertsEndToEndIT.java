package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running exporter sends every event in an alert status to a webhook that fails at first, and the
 * main sink gets everything regardless.
 */
class AlertsEndToEndIT {
    @TempDir
    Path dir;

    @Test
    void everyFailedTaskReachesTheWebhookOnceWhileTheFilesGetEverything() throws Exception {
        Set<String> alerted = ConcurrentHashMap.newKeySet();
        AtomicInteger refusals = new AtomicInteger(3);
        AtomicInteger requests = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiver.createContext("/hook", exchange -> {
            requests.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = refusals.getAndDecrement() > 0 ? 503 : 200;
            if (status == 200) {
                alerted.add(Json.MAPPER.readTree(body).path("id").asText() + " "
                        + Json.MAPPER.readTree(body).at("/data/status").asText());
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        // A webhook URL is a secret (its token is in it): from a file, as a mounted secret would be.
        Path url = Files.writeString(
                dir.resolve("webhook.url"),
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\n");
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            Map<String, String> raw = new HashMap<>(TestExporter.raw(
                    sim,
                    TestExporter.FAST_POLLING,
                    Map.of(
                            "exporter.alert.webhook.test.format", "generic",
                            "exporter.alert.webhook.test.url-file", url.toString(),
                            "exporter.alert.max-per-function", "10000")));
            ExporterConfig config = ExporterConfig.parse(raw, System::getenv, Providers.catalog());
            Path events = TestExporter.eventsDir(sim);
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                Thread.sleep(6_000);
                TestExporter.stopArrivalsAndAwaitFinalStatuses(sim);
                Set<String> expected = PublishedEvents.read(events).events().stream()
                        .filter(e -> config.alerts().statuses().stream()
                                .map(Enum::name)
                                .toList()
                                .contains(e.json().at("/data/status").asText()))
                        .map(e -> e.id() + " " + e.json().at("/data/status").asText())
                        .collect(Collectors.toSet());
                assertThat(expected).as("the simulator failed some tasks").hasSizeGreaterThan(3);
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(alerted).isEqualTo(expected));
            }
            assertThat(requests.get())
                    .as("each alert accepted once, after 3 refusals")
                    .isEqualTo(alerted.size() + 3);
        } finally {
            receiver.stop(0);
        }
    }
}
