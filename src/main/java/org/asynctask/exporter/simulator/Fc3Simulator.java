package org.asynctask.exporter.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asynctask.exporter.provider.fc3.Fc3Provider;

/**
 * FC 3.0 ListAsyncTasks (providers.md §1): {@code GET /2023-03-30/functions/{functionName}/async-tasks},
 * ACS3 signature checked, every query parameter applied, opaque {@code nextToken}, FC-style errors
 * ({@code Code}, {@code Message}, {@code RequestId}).
 */
final class Fc3Simulator implements HttpHandler {
    private static final Pattern PATH = Pattern.compile("/2023-03-30/functions/([^/]+)/async-tasks");
    private static final Set<String> STATUSES = Set.of("Enqueued", "Dequeued", "Running", "Succeeded", "Failed",
            "Stopped", "Stopping", "Expired", "Invalid", "Retrying");
    private static final Set<String> TERMINAL = Set.of("Succeeded", "Failed", "Stopped", "Expired", "Invalid");
    private static final Comparator<SimTask> BY_START = Comparator.comparingLong(SimTask::startedMs).thenComparing(SimTask::id);

    private final TaskLifecycleEngine engine;
    private final Acs3Verifier verifier;
    private final String account;
    private final String region;
    private final Clock clock;
    private final PageTokens tokens = new PageTokens();

    Fc3Simulator(TaskLifecycleEngine engine, Acs3Verifier verifier, String account, String region, Clock clock) {
        this.engine = engine;
        this.verifier = verifier;
        this.account = account;
        this.region = region;
        this.clock = clock;
    }

    PageTokens tokens() {
        return tokens;
    }

    /** A 4xx/5xx answer, FC style. */
    private static final class Refused extends Exception {
        final int status;
        final String code;

        Refused(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        try {
            Object body = answer(exchange);
            SimHttp.json(exchange, 200, body, Map.of("x-acs-request-id", requestId));
        } catch (Refused r) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("Code", r.code);
            error.put("Message", r.getMessage());
            error.put("RequestId", requestId);
            SimHttp.json(exchange, r.status, error, Map.of("x-acs-request-id", requestId));
        } catch (RuntimeException e) {
            SimHttp.json(exchange, 500, Map.of("Code", "InternalServerError", "Message", String.valueOf(e), "RequestId", requestId),
                    Map.of());
        } finally {
            exchange.close();
        }
    }

    private Object answer(HttpExchange exchange) throws IOException, Refused {
        String rawPath = exchange.getRequestURI().getRawPath();
        Matcher m = PATH.matcher(rawPath);
        if (!m.matches()) {
            throw new Refused(404, "NotFound", "no API at " + rawPath);
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            throw new Refused(405, "MethodNotAllowed", "ListAsyncTasks is GET");
        }
        Map<String, String> query = SimHttp.query(exchange.getRequestURI().getRawQuery());
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
        Acs3Verifier.Refusal refusal = verifier.verify("GET", rawPath, query, headers, SimHttp.body(exchange), clock.instant());
        if (refusal != null) {
            throw new Refused(refusal.status(), refusal.code(), refusal.message());
        }
        String function = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        Request req = Request.parse(query);
        // The listing runs under the engine's lock, so it sees one consistent moment of the world.
        Object result = engine.read(e -> {
            FunctionSim f = e.function(Fc3Provider.ID, null, function);
            if (f == null) {
                return new Refused(404, "FunctionNotFound", "function " + function + " does not exist");
            }
            try {
                return list(f, req);
            } catch (Refused r) {
                return r;
            }
        });
        if (result instanceof Refused r) {
            throw r;
        }
        return result;
    }

    private Object list(FunctionSim f, Request req) throws Refused {
        String fingerprint = f.name + "|" + req.fingerprint();
        PageTokens.Cursor cursor = null;
        if (req.nextToken != null && !req.nextToken.isEmpty()) {
            cursor = tokens.resolve(req.nextToken, fingerprint);
            if (cursor == null) {
                throw new Refused(400, "InvalidArgument", "invalid nextToken: unknown, expired or issued for another query");
            }
        }
        Comparator<SimTask> order = req.descending ? BY_START.reversed() : BY_START;
        List<SimTask> selected = new ArrayList<>();
        for (SimTask t : f.tasks) {
            if (matches(t, req) && after(t, cursor, req.descending)) {
                selected.add(t);
            }
        }
        selected.sort(order);
        boolean more = selected.size() > req.limit;
        List<SimTask> page = more ? selected.subList(0, req.limit) : selected;
        List<Object> rendered = new ArrayList<>();
        page.forEach(t -> rendered.add(render(f, t, req.includePayload)));
        String next = "";
        if (more) {
            SimTask last = page.get(page.size() - 1);
            next = tokens.issue(new PageTokens.Cursor(fingerprint, last.startedMs(), last.id()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nextToken", next);
        body.put("tasks", rendered);
        return body;
    }

    private static boolean matches(SimTask t, Request req) {
        return (req.qualifier == null || req.qualifier.equals(t.qualifier()))
                && (req.prefix == null || t.id().startsWith(req.prefix))
                && (req.status == null || req.status.equals(t.status()))
                && (req.begin == null || t.startedMs() >= req.begin)
                && (req.end == null || t.startedMs() <= req.end);
    }

    private static boolean after(SimTask t, PageTokens.Cursor c, boolean descending) {
        if (c == null) {
            return true;
        }
        int cmp = Long.compare(t.startedMs(), c.lastStartedMs());
        if (cmp == 0) {
            cmp = t.id().compareTo(c.lastId());
        }
        return descending ? cmp < 0 : cmp > 0;
    }

    private Map<String, Object> render(FunctionSim f, SimTask t, boolean includePayload) {
        Map<String, Object> o = new LinkedHashMap<>();
        String status = t.status();
        boolean done = TERMINAL.contains(status);
        o.put("taskId", t.id());
        o.put("requestId", t.requestId());
        o.put("status", status);
        o.put("startedTime", t.startedMs());
        long firstRun = t.firstRunMs();
        if (done) {
            o.put("endTime", t.endMs());
            o.put("durationMs", firstRun == 0 ? 0 : t.endMs() - firstRun);
            o.put("destinationStatus", status);
        }
        o.put("alreadyRetriedTimes", t.retries());
        o.put("functionArn", "acs:fc:" + region + ":" + account + ":functions/" + f.name);
        o.put("qualifier", t.qualifier());
        if (firstRun != 0) {
            o.put("instanceId", "c-" + Long.toHexString(t.startedMs()) + "-" + Math.abs(t.id().hashCode() % 1000));
        }
        if (status.equals("Failed")) {
            o.put("taskErrorMessage", "UnhandledInvocationError");
        }
        if (includePayload) {
            o.put("taskPayload", t.payload());
            if (status.equals("Succeeded")) {
                o.put("returnPayload", "{\"ok\":true}");
            }
        }
        List<Object> events = new ArrayList<>();
        List<SimTask.Step> history = t.history();
        for (int i = 0; i < history.size(); i++) {
            SimTask.Step s = history.get(i);
            events.add(Map.of("eventId", i + 1, "status", s.status(), "timestamp", s.atMs(), "eventDetail", s.detail()));
        }
        o.put("events", events);
        return o;
    }

    /** The parsed, validated query of one ListAsyncTasks call. */
    private record Request(String prefix, String nextToken, int limit, String qualifier, String status, Long begin,
                           Long end, boolean descending, boolean includePayload) {

        static Request parse(Map<String, String> q) throws Refused {
            int limit = 20;
            if (q.containsKey("limit")) {
                try {
                    limit = Integer.parseInt(q.get("limit"));
                } catch (NumberFormatException e) {
                    throw new Refused(400, "InvalidArgument", "limit must be an integer in [1,100]");
                }
                if (limit < 1 || limit > 100) {
                    throw new Refused(400, "InvalidArgument", "limit must be in [1,100], got " + limit);
                }
            }
            String status = q.get("status");
            if (status != null && !STATUSES.contains(status)) {
                throw new Refused(400, "InvalidArgument", "status " + status + " is not one of " + new TreeSet<>(STATUSES));
            }
            String sort = q.getOrDefault("sortOrderByTime", "desc");
            if (!sort.equals("asc") && !sort.equals("desc")) {
                throw new Refused(400, "InvalidArgument", "sortOrderByTime must be asc or desc");
            }
            String include = q.getOrDefault("includePayload", "false");
            if (!include.equals("true") && !include.equals("false")) {
                throw new Refused(400, "InvalidArgument", "includePayload must be true or false");
            }
            return new Request(q.get("prefix"), q.get("nextToken"), limit, q.get("qualifier"), status,
                    epochMs(q, "startedTimeBegin"), epochMs(q, "startedTimeEnd"), sort.equals("desc"), include.equals("true"));
        }

        private static Long epochMs(Map<String, String> q, String name) throws Refused {
            String v = q.get(name);
            if (v == null) {
                return null;
            }
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new Refused(400, "InvalidArgument", name + " must be epoch milliseconds");
            }
        }

        /** Everything that defines the result set; a token is valid only for the same one. */
        String fingerprint() {
            return prefix + "|" + qualifier + "|" + status + "|" + begin + "|" + end + "|" + descending + "|" + includePayload;
        }
    }
}
