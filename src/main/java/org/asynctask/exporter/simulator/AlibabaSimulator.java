package org.asynctask.exporter.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;

/**
 * The Alibaba FC async-task list APIs, one {@link AlibabaDialect} each: FC 3.0 ListAsyncTasks (§1) and FC 2.0
 * ListStatefulAsyncInvocations (§2) plus its ListStatefulAsyncInvocationFunctions (§3). Signatures are
 * checked (ACS3; FC 2.0 also the FC signature), every query parameter applied, page tokens opaque and
 * bound to their query, errors in each API's own format.
 */
final class AlibabaSimulator implements ApiHandler {
    private static final Comparator<SimTask> BY_START =
            Comparator.comparingLong(SimTask::startedMs).thenComparing(SimTask::id);

    private final AlibabaDialect dialect;
    private final TaskLifecycleEngine engine;
    private final Acs3Verifier acs3;
    private final FcVerifier fc;
    private final String account;
    private final String region;
    private final Clock clock;
    private final PageTokens tokens = new PageTokens();
    private final Faults faults;

    AlibabaSimulator(
            AlibabaDialect dialect,
            TaskLifecycleEngine engine,
            Map<String, String> secrets,
            String account,
            String region,
            Clock clock,
            Faults faults) {
        this.faults = faults;
        this.dialect = dialect;
        this.engine = engine;
        this.acs3 = new Acs3Verifier(secrets);
        this.fc = new FcVerifier(secrets);
        this.account = account;
        this.region = region;
        this.clock = clock;
    }

    PageTokens tokens() {
        return tokens;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            SimHttp.json(
                    exchange,
                    200,
                    answer(exchange),
                    Map.of(requestIdHeader(), UUID.randomUUID().toString()));
        } catch (Refused r) {
            refuse(exchange, r);
        } catch (RuntimeException e) {
            refuse(exchange, new Refused(500, "InternalServerError", String.valueOf(e)));
        } finally {
            exchange.close();
        }
    }

    private String requestIdHeader() {
        return dialect.fc2Fields() ? "x-fc-request-id" : "x-acs-request-id";
    }

    @Override
    public void refuse(HttpExchange exchange, Refused r) throws IOException {
        String requestId = UUID.randomUUID().toString();
        Map<String, Object> error = new LinkedHashMap<>();
        if (dialect.fc2Fields()) {
            // FC 2.0: ErrorCode / ErrorMessage, request id only in the header (§2.4).
            error.put("ErrorCode", r.code);
            error.put("ErrorMessage", r.getMessage());
        } else {
            error.put("Code", r.code);
            error.put("Message", r.getMessage());
            error.put("RequestId", requestId);
        }
        SimHttp.json(exchange, r.status, error, r.headers(requestIdHeader(), requestId));
    }

    @Override
    public Refused serverError() {
        return new Refused(503, "ServiceUnavailable", "the service is temporarily unavailable");
    }

    @Override
    public Refused throttled(int retryAfterSeconds) {
        return new Refused(429, "ResourceThrottled", "request was throttled, retry later", retryAfterSeconds);
    }

    private Object answer(HttpExchange exchange) throws IOException, Refused {
        String rawPath = exchange.getRequestURI().getRawPath();
        Matcher m = dialect.listPath().matcher(rawPath);
        boolean discovery = rawPath.equals(dialect.discoveryPath());
        if (!m.matches() && !discovery) {
            throw new Refused(404, "NotFound", "no API at " + rawPath);
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            throw new Refused(405, "MethodNotAllowed", "this API is GET");
        }
        Map<String, String> query = SimHttp.query(exchange.getRequestURI().getRawQuery());
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
        verify(exchange, rawPath, query, headers);
        if (discovery) {
            return underLock(e -> functions(e, query));
        }
        String namespace = dialect.fc2Fields() ? decode(m.group(1)) : null;
        String function = decode(m.group(dialect.fc2Fields() ? 2 : 1));
        AlibabaListRequest req = AlibabaListRequest.parse(query, dialect);
        try (ConcurrentPolls.Request counted =
                engine.polls().enter(dialect.provider() + "/" + namespace + "/" + function + "/" + req.qualifier())) {
            return listUnderLock(namespace, function, req);
        }
    }

    private Object listUnderLock(String namespace, String function, AlibabaListRequest req) throws Refused {
        return underLock(e -> {
            FunctionSim f = e.function(dialect.provider(), namespace, function);
            if (f == null) {
                throw dialect.fc2Fields()
                                && e.functions(dialect.provider()).stream()
                                        .noneMatch(x -> x.namespace().equals(namespace))
                        ? new Refused(404, "ServiceNotFound", "service " + namespace + " does not exist")
                        : new Refused(404, "FunctionNotFound", "function " + function + " does not exist");
            }
            return list(f, req);
        });
    }

    /** A read of the simulated world that may refuse. */
    private interface Read {
        Object apply(TaskLifecycleEngine engine) throws Refused;
    }

    /** Runs under the engine's lock, so an answer sees one consistent moment of the world. */
    private Object underLock(Read read) throws Refused {
        Object result = engine.read(e -> {
            try {
                return read.apply(e);
            } catch (Refused r) {
                return r;
            }
        });
        if (result instanceof Refused r) {
            throw r;
        }
        return result;
    }

    private void verify(HttpExchange exchange, String rawPath, Map<String, String> query, Map<String, String> headers)
            throws IOException, Refused {
        String authorization = String.valueOf(Acs3Verifier.header(headers, "authorization"));
        Acs3Verifier.Refusal refusal;
        if (dialect.fcSignature() && authorization.startsWith("FC ")) {
            refusal = fc.verify("GET", exchange.getRequestURI().getPath(), headers, clock.instant());
        } else {
            refusal = acs3.verify("GET", rawPath, query, headers, SimHttp.body(exchange), clock.instant());
        }
        if (refusal != null) {
            throw new Refused(refusal.status(), refusal.code(), refusal.message());
        }
    }

    /** ListStatefulAsyncInvocationFunctions: one entry per function and qualifier, in a stable order, paged with tokens. */
    private Object functions(TaskLifecycleEngine e, Map<String, String> query) throws Refused {
        int limit = AlibabaListRequest.limit(query, 20);
        List<Map<String, String>> all = new ArrayList<>();
        for (FunctionSim f : e.functions(dialect.provider())) {
            for (String q : f.qualifiers) {
                all.add(Map.of("serviceName", f.namespace(), "functionName", f.name(), "qualifier", q));
            }
        }
        int from = 0;
        String token = query.get("nextToken");
        if (token != null && !token.isEmpty()) {
            PageTokens.Cursor c = tokens.resolve(token, "functions");
            if (c == null) {
                throw new Refused(400, "InvalidArgument", "invalid nextToken");
            }
            from = (int) c.lastStartedMs();
        }
        int to = Math.min(from + limit, all.size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nextToken", to < all.size() ? tokens.issue(new PageTokens.Cursor("functions", to, "")) : "");
        body.put("data", all.subList(Math.min(from, to), to));
        return body;
    }

    private Object list(FunctionSim f, AlibabaListRequest req) throws Refused {
        String fingerprint = f.label() + "|" + req.fingerprint();
        PageTokens.Cursor cursor = null;
        if (req.nextToken() != null && !req.nextToken().isEmpty()) {
            cursor = faults.roll(dialect.provider(), FaultKind.PAGE_TOKEN)
                    ? null
                    : tokens.resolve(req.nextToken(), fingerprint);
            if (cursor == null) {
                throw new Refused(
                        400, "InvalidArgument", "invalid nextToken: unknown, expired or issued for another query");
            }
        }
        // Fault: the page repeats the last task of the page before, as if the list had shifted.
        boolean repeat = cursor != null && faults.roll(dialect.provider(), FaultKind.DUPLICATE);
        List<SimTask> selected = new ArrayList<>();
        // f.tasks is in start order: an ascending page starts at the first task at or after its lower bound
        // and ends once it has more than a page and is past the ties of its last task (fast for benchmarks).
        int first = req.descending()
                ? 0
                : f.firstStartedAtOrAfter(Math.max(
                        req.begin() == null ? Long.MIN_VALUE : req.begin(),
                        cursor == null ? Long.MIN_VALUE : cursor.lastStartedMs()));
        for (int i = first; i < f.tasks.size(); i++) {
            SimTask t = f.tasks.get(i);
            if (!req.descending()
                    && selected.size() > req.limit()
                    && t.startedMs() > selected.get(selected.size() - 1).startedMs()) {
                break;
            }
            if (matches(t, req) && (after(t, cursor, req.descending()) || repeat && t.id().equals(cursor.lastId()))) {
                selected.add(t);
            }
        }
        selected.sort(req.descending() ? BY_START.reversed() : BY_START);
        boolean more = selected.size() > req.limit();
        List<SimTask> page = more ? selected.subList(0, req.limit()) : selected;
        if (more && page.size() > 1 && faults.roll(dialect.provider(), FaultKind.MISSING)) {
            // Fault: a short page that is not the end; its last task starts the next page.
            page = page.subList(0, page.size() - 1);
        }
        String next = "";
        if (more) {
            SimTask last = page.get(page.size() - 1);
            next = tokens.issue(new PageTokens.Cursor(fingerprint, last.startedMs(), last.id()));
        }
        // {"nextToken": …, "<list>": [tasks]}, the tasks copied from their cached JSON.
        ByteArrayOutputStream body = new ByteArrayOutputStream(page.size() * 600 + 200);
        body.writeBytes(("{\"nextToken\":" + SimHttp.quoted(next) + ",\"" + dialect.listField() + "\":[")
                .getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < page.size(); i++) {
            SimTask t = page.get(i);
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(t.renderedJson(
                    req.includePayload(),
                    () -> AlibabaTaskJson.of(dialect, account, region, f, t, req.includePayload())));
        }
        body.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static boolean matches(SimTask t, AlibabaListRequest req) {
        return (req.qualifier() == null || req.qualifier().equals(t.qualifier()))
                && (req.prefix() == null || t.id().startsWith(req.prefix()))
                && (req.status() == null || req.status().equals(t.status()))
                && (req.begin() == null || t.startedMs() >= req.begin())
                && (req.end() == null || t.startedMs() <= req.end());
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

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
