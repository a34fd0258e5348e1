package org.asynctask.exporter.testing;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.asynctask.exporter.cli.Cli;

/** What a running exporter's health endpoint and the {@code status} command say, as an orchestrator and an operator see them. */
public final class Readiness {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** HTTP status and body of one answer. */
    public record Answer(int code, String body) {
    }

    private Readiness() {
    }

    public static Answer get(int port, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code /health/ready} answers {@code code}; returns that answer. */
    public static Answer awaitReady(int port, int code, Duration atMost) {
        Answer[] last = new Answer[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = get(port, "/health/ready");
            return last[0].code() == code;
        });
        return last[0];
    }

    /**
     * Whether every partition of the exporter at {@code port} has completed a poll since {@code sinceMs}:
     * from then on it watches all of them (after a restart it first catches up on what it missed).
     * False while nothing answers there yet.
     */
    public static boolean caughtUpSince(int port, long sinceMs) {
        Answer status;
        try {
            status = get(port, "/status");
        } catch (UncheckedIOException notYet) {
            return false;
        }
        try {
            var partitions = org.asynctask.exporter.Json.MAPPER.readTree(status.body()).path("partitions");
            if (status.code() != 200 || partitions.isEmpty()) {
                return false;
            }
            for (var p : partitions) {
                if (!p.has("lastSuccess") || java.time.Instant.parse(p.get("lastSuccess").asText()).toEpochMilli() < sinceMs) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port nothing listens on now, for a child process's metrics server. */
    public static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Exit code and output of {@code status --url http://127.0.0.1:PORT}. */
    public record Status(int exitCode, String output) {
    }

    public static Status status(int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Cli.run(new String[] {"status", "--url", "http://127.0.0.1:" + port}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Status(code, out.toString(StandardCharsets.UTF_8));
    }
}
