package org.asynctask.exporter.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.cli.Cli;

/** {@code simulate} in a child JVM, steered over its {@code /_simulator/} control endpoint. */
public final class SimulatorProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Process process;
    private final String baseUrl;
    private final Path dataDir;

    private SimulatorProcess(Process process, String baseUrl, Path dataDir) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.dataDir = dataDir;
    }

    /** Starts {@code simulate --data-dir DIR} with the extra options, and waits for its address. */
    public static SimulatorProcess start(Path dataDir, String... options) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                Cli.class.getName(),
                "simulate",
                "--data-dir",
                dataDir.toString()));
        cmd.addAll(List.of(options));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("simulators listening on ")) {
                    String url =
                            line.substring("simulators listening on ".length()).trim();
                    Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "simulator-output");
                    drain.setDaemon(true);
                    drain.start();
                    return new SimulatorProcess(p, url, dataDir);
                }
            }
            throw new IllegalStateException("simulate ended without announcing its address (exit " + p.waitFor() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path exporterConfig() {
        return dataDir.resolve("simulator").resolve("exporter.properties");
    }

    public Path transitions() {
        return dataDir.resolve("simulator").resolve("transitions.jsonl");
    }

    /** GET state, or POST an action such as {@code faults/clear}: the JSON state it answers. */
    public String control(String method, String action) {
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(baseUrl + "/_simulator/" + action));
            req = method.equals("POST") ? req.POST(HttpRequest.BodyPublishers.noBody()) : req.GET();
            return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many API requests it has answered so far. */
    public long requests() {
        try {
            return Json.MAPPER
                    .readTree(control("GET", "state"))
                    .path("requests")
                    .asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean quiet() {
        return control("GET", "state").contains("\"quiet\":true");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
