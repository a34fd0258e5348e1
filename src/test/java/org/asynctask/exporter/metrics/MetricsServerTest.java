package org.asynctask.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.asynctask.exporter.config.RetryPolicy;
import org.asynctask.exporter.poll.PollScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's own contract, without an exporter around it ({@code MetricsTest} runs it in a whole
 * exporter): what it answers before Camel runs, to other paths and methods, and a port already taken.
 */
class MetricsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private MetricsServer server;

    @BeforeEach
    void start() {
        Clock clock = Clock.systemUTC();
        StatusReport status = new StatusReport(
                List.of(),
                List.of(),
                new PollScheduler(List.of(), clock, RetryPolicy.DEFAULT),
                new ExporterMetrics(registry, clock),
                clock,
                () -> null);
        server = MetricsServer.start("127.0.0.1", 0, registry, () -> null, status);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesThePrometheusTextFormat() throws Exception {
        Counter.builder("asynctask_test_counter").register(registry).increment(3);

        HttpResponse<String> metrics = send("GET", "/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).containsPattern("(?m)^asynctask_test_counter_total 3\\.0$");
        HttpResponse<String> head = send("HEAD", "/metrics");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void healthIsDownWhileCamelHasNotStarted() throws Exception {
        for (String path : List.of("/health", "/health/live", "/health/ready")) {
            HttpResponse<String> health = send("GET", path);

            assertThat(health.statusCode()).as(path).isEqualTo(503);
            assertThat(health.body())
                    .as(path)
                    .isEqualTo(
                            "{\"status\":\"DOWN\",\"checks\":[{\"name\":\"context\",\"status\":\"DOWN\",\"message\":\"starting\"}]}");
        }
    }

    @Test
    void answersOnlyItsPathsAndOnlyToReads() throws Exception {
        assertThat(send("GET", "/status").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/metrics/x").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/health/other").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send("POST", "/status");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void aPortAlreadyTakenFailsNamingTheKey() {
        assertThatThrownBy(() -> MetricsServer.start("127.0.0.1", server.port(), registry, () -> null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + server.port())
                .hasMessageContaining("exporter.metrics.port");
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
