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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's fair yardstick (issue 24): answers list requests (FC 3.0's, FunctionGraph's) with pages captured
 * from the simulator once, byte for byte, looked up by path and page token. It signs nothing, checks nothing and builds
 * nothing, so a request costs next to nothing, and what the benchmark measures is the exporter. Its threads
 * are all started up front, so that {@link CpuMeter} counts them among the fixtures.
 *
 * <p>Each scan of a function (a request for its first page) is a new <em>generation</em> of its backlog: the
 * captured pages with every task id prefixed by {@code g<generation>-} (the first generation is served as
 * captured). So one long-lived exporter meets a new backlog on every scan, and can be measured once it has run
 * for a while, as it runs for months, instead of a fresh exporter whose JIT still compiles its start-up.
 */
final class ReplayServer implements AutoCloseable {
    private static final byte[] NOT_CAPTURED = "{\"Code\":\"NotCaptured\"}".getBytes(StandardCharsets.UTF_8);

    /**
     * How an API pages and names its tasks: the query parameter of the page token, the token of the first page,
     * and the field of a task's id.
     */
    record Dialect(String tokenParam, String firstToken, String idField) {
        static final Dialect FC3 = new Dialect("nextToken", "", "taskId");
        static final Dialect FUNCTION_GRAPH = new Dialect("marker", "0", "request_id");

        byte[] idStart() {
            return ("\"" + idField + "\":\"").getBytes(StandardCharsets.UTF_8);
        }
    }

    private final Dialect dialect;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Page> pages = new HashMap<>();
    private final Map<String, AtomicInteger> scansByPath = new ConcurrentHashMap<>();

    /** A captured page, and where each of its task ids starts (where a generation's prefix goes). */
    private record Page(byte[] body, int[] idStarts) {
        static Page of(byte[] body, byte[] idStart) {
            List<Integer> starts = new ArrayList<>();
            for (int at = indexOf(body, idStart, 0); at >= 0; at = indexOf(body, idStart, at + idStart.length)) {
                starts.add(at + idStart.length);
            }
            return new Page(body, starts.stream().mapToInt(Integer::intValue).toArray());
        }

        /** The page of a generation, written piece by piece: no copy of the body is made. */
        void writeTo(HttpExchange exchange, int generation) throws IOException {
            byte[] prefix = generation == 0 ? new byte[0] : ("g" + generation + "-").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length + (long) prefix.length * idStarts.length);
            try (OutputStream out = exchange.getResponseBody()) {
                int from = 0;
                for (int start : idStarts) {
                    out.write(body, from, start - from);
                    out.write(prefix);
                    from = start;
                }
                out.write(body, from, body.length - from);
            }
        }
    }

    /** @param pages each captured page by {@link #key(String, String)} of the request that got it */
    ReplayServer(Map<String, byte[]> pages, Dialect dialect) {
        this.dialect = dialect;
        pages.forEach((key, body) -> this.pages.put(key, Page.of(body, dialect.idStart())));
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

    /** The key of a captured page: the request's path and the token it asked for (none: the first page's). */
    static String key(String rawPath, String token) {
        // Decoded: clients encode a path differently (the Huawei SDK leaves a URN's colons as they are).
        return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8) + "?"
                + (token == null ? "" : token);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String token = token(exchange.getRequestURI().getRawQuery());
        String key = key(path, token);
        Page page = pages.get(key);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (page == null) {
            exchange.sendResponseHeaders(404, NOT_CAPTURED.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(NOT_CAPTURED);
            }
            return;
        }
        AtomicInteger scans = scansByPath.computeIfAbsent(key(path, null), p -> new AtomicInteger());
        page.writeTo(exchange, token.equals(dialect.firstToken()) ? scans.getAndIncrement() : scans.get() - 1);
    }

    private static int indexOf(byte[] in, byte[] what, int from) {
        outer:
        for (int i = from; i <= in.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The page token the request asks for; the first page's when it names none. */
    private String token(String rawQuery) {
        String param = dialect.tokenParam() + "=";
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.startsWith(param)) {
                    return URLDecoder.decode(pair.substring(param.length()), StandardCharsets.UTF_8);
                }
            }
        }
        return dialect.firstToken();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
