package org.asynctask.exporter.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's fair yardstick (issue 24): answers FC 3.0 list requests with pages captured from the simulator
 * once, byte for byte, looked up by path and {@code nextToken}. It signs nothing, checks nothing and builds
 * nothing, so a request costs next to nothing, and what the benchmark measures is the exporter. Its threads
 * are all started up front, so that {@link CpuMeter} counts them among the fixtures.
 */
final class ReplayServer implements AutoCloseable {
    private static final byte[] NOT_CAPTURED = "{\"Code\":\"NotCaptured\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, byte[]> pages;

    /** @param pages each captured page by {@link #key(String, String)} of the request that got it */
    ReplayServer(Map<String, byte[]> pages) {
        this.pages = Map.copyOf(pages);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                4, 4, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> new Thread(r, "replay-http"));
        pool.prestartAllCoreThreads();
        executor = pool;
        server.setExecutor(executor);
        server.createContext("/", this::answer);
        server.start();
    }

    /** The key of a captured page: the request's path and the token it asked for ("" for the first page). */
    static String key(String path, String nextToken) {
        return path + "?" + (nextToken == null ? "" : nextToken);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        byte[] page = pages.get(key(
                exchange.getRequestURI().getRawPath(),
                token(exchange.getRequestURI().getRawQuery())));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(page == null ? 404 : 200, page == null ? NOT_CAPTURED.length : page.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(page == null ? NOT_CAPTURED : page);
        }
    }

    private static String token(String rawQuery) {
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.startsWith("nextToken=")) {
                    return URLDecoder.decode(pair.substring("nextToken=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        return "";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
