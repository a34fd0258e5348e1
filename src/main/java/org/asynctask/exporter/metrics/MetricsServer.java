package org.asynctask.exporter.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.secret.Redaction;
import org.slf4j.LoggerFactory;

/**
 * The metrics and health server ({@code exporter.metrics.port}), on the JDK's own HTTP server:
 * <ul>
 * <li>{@code GET /metrics} — the Prometheus text format;</li>
 * <li>{@code GET /health}, {@code /health/live}, {@code /health/ready} — Camel's health checks as JSON,
 *     {@code {"status": "UP", "checks": [{"name", "status", "message"}]}}; HTTP 503 when one is DOWN;</li>
 * <li>{@code GET /status} — {@link StatusReport}.</li>
 * </ul>
 * Two threads answer: scrapes and probes are rare and must not take CPU from the polls, but a client
 * slow to read a scrape must not hold up the health probes. Camel's own management server would do the
 * same on Vert.x, whose 26 jars cost about 0.5 s of every start.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens at once, so a port in use fails the start before Camel starts polling.
     *
     * @param camel the Camel context, once it exists: health answers 503 "starting" before
     */
    public static MetricsServer start(
            String host,
            int port,
            PrometheusMeterRegistry registry,
            Supplier<CamelContext> camel,
            StatusReport status) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the metrics server cannot listen on " + host + ":" + port
                            + " (exporter.metrics.port, exporter.metrics.host): " + e.getMessage(),
                    e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(
                "/metrics", get(x -> send(x, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape())));
        server.createContext("/health", get(x -> health(x, camel.get())));
        server.createContext(
                "/status",
                get(x -> send(
                        x,
                        200,
                        "application/json; charset=utf-8",
                        status.build().toPrettyString())));
        server.start();
        return new MetricsServer(server, executor);
    }

    /** The port it listens on (the one chosen when the configured port is 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** GET (or HEAD) of the context's exact path; anything else is 404 or 405. */
    private static HttpHandler get(Handler handler) {
        return exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String context = exchange.getHttpContext().getPath();
                if (!path.equals(context)
                        && !(context.equals("/health")
                                && (path.equals("/health/live") || path.equals("/health/ready")))) {
                    send(exchange, 404, "text/plain; charset=utf-8", "not found: " + path + "\n");
                } else if (!exchange.getRequestMethod().equals("GET")
                        && !exchange.getRequestMethod().equals("HEAD")) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    send(exchange, 405, "text/plain; charset=utf-8", "only GET\n");
                } else {
                    handler.handle(exchange);
                }
            } catch (RuntimeException e) {
                // The answer may have been begun; the client sees a closed connection, the log says why.
                LoggerFactory.getLogger(MetricsServer.class)
                        .warn(
                                "{} {} failed: {}",
                                exchange.getRequestMethod(),
                                exchange.getRequestURI().getPath(),
                                Redaction.scrub(String.valueOf(e)));
            }
        };
    }

    private static void health(HttpExchange exchange, CamelContext camel) throws IOException {
        ArrayNode checks = Json.MAPPER.createArrayNode();
        boolean down;
        if (camel == null || !camel.isStarted()) {
            checks.addObject().put("name", "context").put("status", "DOWN").put("message", "starting");
            down = true;
        } else {
            String path = exchange.getRequestURI().getPath();
            Collection<HealthCheck.Result> results = path.endsWith("/live")
                    ? HealthCheckHelper.invokeLiveness(camel)
                    : path.endsWith("/ready")
                            ? HealthCheckHelper.invokeReadiness(camel)
                            : HealthCheckHelper.invoke(camel);
            down = false;
            for (HealthCheck.Result r : results) {
                down |= r.getState() == HealthCheck.State.DOWN;
                ObjectNode check = checks.addObject()
                        .put("name", r.getCheck().getId())
                        .put("status", r.getState().name());
                r.getMessage()
                        .or(() -> r.getError().map(Throwable::getMessage))
                        .ifPresent(m -> check.put("message", Redaction.scrub(m)));
            }
        }
        ObjectNode out = Json.MAPPER.createObjectNode().put("status", down ? "DOWN" : "UP");
        out.set("checks", checks);
        send(exchange, down ? 503 : 200, "application/json", out.toString());
    }

    private static void send(HttpExchange exchange, int code, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
