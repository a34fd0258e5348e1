package org.asynctask.exporter.testing;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.cli.Cli;
import org.awaitility.core.ConditionTimeoutException;

/** What a running exporter's health endpoint and the {@code status} command say, as an orchestrator and an operator see them. */
public final class Readiness {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** How long catching up with the present may take once a partition is up to date (polls, safety lag, re-scan window). */
    private static final Duration CAUGHT_UP = Duration.ofSeconds(4);

    /** HTTP status and body of one answer. */
    public record Answer(int code, String body) {}

    private Readiness() {}

    public static Answer get(int port, String path) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until {@code /health/ready} answers {@code code}; returns that answer. Nothing listening yet (a
     * process still starting) is not an answer, as for an orchestrator's probe.
     */
    public static Answer awaitReady(int port, int code, Duration atMost) {
        Answer[] last = new Answer[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            try {
                last[0] = get(port, "/health/ready");
            } catch (UncheckedIOException notListening) {
                return false;
            }
            return last[0].code() == code;
        });
        return last[0];
    }

    /**
     * Whether every partition of the exporter at {@code port} has caught up with {@code sinceMs}: a scan
     * that reached past it completed (every task started before was listed, so the ones still open are
     * tracked). From then on it watches all of them; before, after a start or a restart, or
     * after failing polls, it reads a backlog and may see a short status late or not at all. False while
     * nothing answers there yet.
     */
    public static boolean caughtUpSince(int port, long sinceMs) {
        Answer status;
        try {
            status = get(port, "/status");
        } catch (UncheckedIOException notYet) {
            return false;
        }
        try {
            var partitions = Json.MAPPER.readTree(status.body()).path("partitions");
            if (status.code() != 200 || partitions.isEmpty()) {
                return false;
            }
            for (var p : partitions) {
                if (!p.has("scannedTo")
                        || Instant.parse(p.get("scannedTo").asText()).toEpochMilli() < sinceMs) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the exporter at {@code port} watches every function: {@link #caughtUpSince} {@code sinceMs},
     * and then again since that moment, until catching up with the time of the last wait took less than
     * {@link #CAUGHT_UP}: the backlog a boot, a restart or an outage left is read. @return when it was
     */
    public static long awaitCaughtUp(int port, long sinceMs, Duration atMost) {
        long deadline = System.currentTimeMillis() + atMost.toMillis();
        long since = sinceMs;
        List<Long> waits = new ArrayList<>();
        while (true) {
            long from = since;
            try {
                await().atMost(Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis())))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> caughtUpSince(port, from));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(
                        "not caught up with the present within " + atMost + " (the last wait was for "
                                + Instant.ofEpochMilli(from) + "; the waits before it took " + waits
                                + " ms, each must take under " + CAUGHT_UP.toMillis()
                                + " ms); how far each partition has scanned: " + scannedTo(port),
                        e);
            }
            long now = System.currentTimeMillis();
            waits.add(now - from);
            if (now - from < CAUGHT_UP.toMillis()) {
                return now;
            }
            since = now;
        }
    }

    /** Each partition's function and the end of its last complete scan, from {@code /status}. */
    private static String scannedTo(int port) {
        try {
            StringBuilder out = new StringBuilder();
            for (var p : Json.MAPPER.readTree(get(port, "/status").body()).path("partitions")) {
                out.append(p.path("provider").asText())
                        .append(' ')
                        .append(p.path("function").asText())
                        .append('=')
                        .append(p.path("scannedTo").asText("none"))
                        .append(' ');
            }
            return out.toString().strip() + " at " + Instant.now();
        } catch (IOException | UncheckedIOException e) {
            return "no answer (" + e + ")";
        }
    }

    /**
     * A port nothing listens on now, for a child process's metrics server: below the ephemeral range
     * (32768–60999 on Linux), because a port from it (what {@code new ServerSocket(0)} gives) can be handed to
     * one of the machine's outgoing connections before the child binds it (CI: a group member's start failed
     * with "Address already in use" while the other members' Kafka clients were connecting).
     */
    public static int freePort() {
        for (int tries = 0; tries < 1_000; tries++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket s = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port in 20000..31999");
    }

    /** Exit code and output of {@code status --url http://127.0.0.1:PORT}. */
    public record Status(int exitCode, String output) {}

    public static Status status(int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Cli.run(
                new String[] {"status", "--url", "http://127.0.0.1:" + port},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Status(code, out.toString(StandardCharsets.UTF_8));
    }
}
