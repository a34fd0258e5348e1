package org.asynctask.exporter.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asynctask.exporter.provider.huawei.FunctionGraphProvider;

/**
 * FunctionGraph ListFunctionAsyncInvocations and ListFunctions (docs/providers.md §4, §6): AK/SK
 * signatures verified (or a known X-Auth-Token accepted), {@code query_begin_time} defaulting to one
 * hour ago as the real API does (and counted, so a client that forgets it is caught), marker /
 * next_marker / count paging, newest first, {@code {error_code, error_msg}} errors.
 */
final class HuaweiSimulator implements ApiHandler {
    private static final Pattern INVOCATIONS = Pattern.compile("/v2/([^/]+)/fgs/functions/([^/]+)/async-invocations");
    private static final Pattern FUNCTIONS = Pattern.compile("/v2/([^/]+)/fgs/functions");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Set<String> STATUSES = Set.of("WAIT", "RUNNING", "SUCCESS", "FAIL", "DISCARD");
    private static final Set<String> TERMINAL = Set.of("SUCCESS", "FAIL", "DISCARD");

    private final TaskLifecycleEngine engine;
    private final HuaweiGate gate;
    private final String project;
    private final String region;
    private final Clock clock;
    private final AtomicLong withoutBeginTime = new AtomicLong();

    private final Faults faults;

    HuaweiSimulator(
            TaskLifecycleEngine engine,
            Map<String, String> secrets,
            String token,
            String project,
            String region,
            Clock clock,
            Faults faults) {
        this.faults = faults;
        this.engine = engine;
        this.gate = new HuaweiGate(secrets, token, clock);
        this.project = project;
        this.region = region;
        this.clock = clock;
    }

    /** Invocation listings that came without query_begin_time (and so saw only the last hour). */
    long requestsWithoutBeginTime() {
        return withoutBeginTime.get();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            SimHttp.json(
                    exchange,
                    200,
                    answer(exchange),
                    Map.of("X-Request-Id", UUID.randomUUID().toString()));
        } catch (Refused r) {
            refuse(exchange, r);
        } catch (RuntimeException e) {
            refuse(exchange, new Refused(500, "FSS.0500", String.valueOf(e)));
        } finally {
            exchange.close();
        }
    }

    @Override
    public void refuse(HttpExchange exchange, Refused r) throws IOException {
        String requestId = UUID.randomUUID().toString();
        SimHttp.json(
                exchange,
                r.status,
                Map.of("error_code", r.code, "error_msg", r.getMessage(), "request_id", requestId),
                r.headers("X-Request-Id", requestId));
    }

    @Override
    public Refused serverError() {
        return new Refused(500, "FSS.0500", "internal error");
    }

    /** The API gateway's flow control answer (code assumed, docs/providers.md §10.5). */
    @Override
    public Refused throttled(int retryAfterSeconds) {
        return new Refused(429, "APIGW.0308", "The throttling threshold has been reached", retryAfterSeconds);
    }

    private Object answer(HttpExchange exchange) throws IOException, Refused {
        String rawPath = exchange.getRequestURI().getRawPath();
        Matcher invocations = INVOCATIONS.matcher(rawPath);
        Matcher functions = FUNCTIONS.matcher(rawPath);
        if (!invocations.matches() && !functions.matches()) {
            throw new Refused(404, "FSS.0404", "no API at " + rawPath);
        }
        Map<String, String> query = SimHttp.query(exchange.getRequestURI().getRawQuery());
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
        gate.admit(exchange.getRequestMethod(), rawPath, query, headers, SimHttp.body(exchange));
        if (!String.valueOf(headers.get("content-type")).startsWith("application/json")) {
            // Mandatory in the API document (docs/providers.md §4.1).
            throw new Refused(400, "FSS.0400", "Content-Type must be application/json");
        }
        String projectId = invocations.matches() ? invocations.group(1) : functions.group(1);
        if (!projectId.equals(project)) {
            throw new Refused(403, "FSS.0403", "project " + projectId + " is not this account's");
        }
        if (!invocations.matches()) {
            return functions(query);
        }
        String urn = URLDecoder.decode(invocations.group(2).replace("+", "%2B"), StandardCharsets.UTF_8);
        try (ConcurrentPolls.Request counted = engine.polls().enter(FunctionGraphProvider.ID + "/" + urn)) {
            return invocations(urn, query);
        }
    }

    private Object invocations(String urn, Map<String, String> q) throws Refused {
        String[] parts = urn.split(":");
        if (parts.length != 8 || !parts[0].equals("urn") || !parts[1].equals("fss") || !parts[4].equals("function")) {
            throw new Refused(400, "FSS.0400", "function_urn " + urn + " is malformed");
        }
        int marker = number(q.getOrDefault("marker", "0"), "marker", 0, Integer.MAX_VALUE);
        int limit = number(q.getOrDefault("limit", "100"), "limit", 1, 500);
        String status = q.get("status");
        if (status != null && !STATUSES.contains(status)) {
            throw new Refused(400, "FSS.0400", "status " + status + " is not one of " + STATUSES);
        }
        Instant now = clock.instant();
        if (!q.containsKey("query_begin_time")) {
            withoutBeginTime.incrementAndGet();
        }
        long beginSec = time(q.get("query_begin_time"), now.minusSeconds(3600), "query_begin_time")
                .getEpochSecond();
        long endSec = time(q.get("query_end_time"), now, "query_end_time").getEpochSecond();
        String requestId = q.get("request_id");
        String version = parts[7];
        Object result = engine.read(e -> {
            FunctionSim f = e.function(FunctionGraphProvider.ID, parts[5], parts[6]);
            if (f == null || !f.qualifiers.contains(version)) {
                return new Refused(404, "FSS.0404", "can not find function " + urn);
            }
            List<SimTask> matching = new ArrayList<>();
            for (SimTask t : f.tasks) {
                long sec = t.startedMs() / 1000;
                if (sec >= beginSec
                        && sec <= endSec
                        && (status == null || status.equals(t.status()))
                        && (requestId == null || requestId.equals(t.id()))) {
                    matching.add(t);
                }
            }
            matching.sort(Comparator.comparingLong(SimTask::startedMs)
                    .thenComparing(SimTask::id)
                    .reversed());
            // Fault: the list shifted by one, so the page starts with the last invocation of the page before.
            int from = Math.min(
                    marker > 0 && faults.roll(FunctionGraphProvider.ID, FaultKind.DUPLICATE) ? marker - 1 : marker,
                    matching.size());
            int to = Math.min(from + limit, matching.size());
            if (to < matching.size() && to - from > 1 && faults.roll(FunctionGraphProvider.ID, FaultKind.MISSING)) {
                to--; // Fault: a short page that is not the end; next_marker and count say so.
            }
            List<Object> page = new ArrayList<>();
            for (SimTask t : matching.subList(from, to)) {
                page.add(render(t));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("invocations", page);
            body.put("count", matching.size());
            body.put("next_marker", to);
            return body;
        });
        if (result instanceof Refused r) {
            throw r;
        }
        return result;
    }

    private Object functions(Map<String, String> q) throws Refused {
        int marker = number(q.getOrDefault("marker", "0"), "marker", 0, Integer.MAX_VALUE);
        int max = number(q.getOrDefault("maxitems", "400"), "maxitems", 0, 400);
        int items = max == 0 ? 400 : max;
        return engine.read(e -> {
            List<Object> all = new ArrayList<>();
            for (FunctionSim f : e.functions(FunctionGraphProvider.ID)) {
                for (String v : f.qualifiers) {
                    String urn = "urn:fss:" + region + ":" + project + ":function:" + f.namespace() + ":" + f.name()
                            + ":" + v;
                    all.add(Map.of("func_urn", urn, "func_name", f.name(), "package", f.namespace(), "version", v));
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("functions", all.subList(Math.min(marker, all.size()), Math.min(marker + items, all.size())));
            body.put("next_marker", Math.min(marker + items, all.size()));
            body.put("count", all.size());
            return body;
        });
    }

    private static Map<String, Object> render(SimTask t) {
        Map<String, Object> o = new LinkedHashMap<>();
        String status = t.status();
        o.put("request_id", t.id());
        o.put("status", status);
        o.put("error_message", status.equals("FAIL") ? "function crashed" : "");
        o.put("error_code", status.equals("FAIL") ? 1 : 0);
        o.put("start_time", TIME.format(Instant.ofEpochMilli(t.startedMs())));
        o.put("end_time", TERMINAL.contains(status) ? TIME.format(Instant.ofEpochMilli(t.endMs())) : "");
        return o;
    }

    private static int number(String v, String name, int min, int max) throws Refused {
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new Refused(400, "FSS.0400", name + " must be in [" + min + "," + max + "], got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Refused(400, "FSS.0400", name + " must be a number");
        }
    }

    private static Instant time(String v, Instant def, String name) throws Refused {
        if (v == null) {
            return def;
        }
        try {
            return LocalDateTime.parse(v.endsWith("Z") ? v.substring(0, v.length() - 1) : v)
                    .toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            throw new Refused(400, "FSS.0400", name + " must be YYYY-MM-DDTHH:mm:ss");
        }
    }
}
