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
