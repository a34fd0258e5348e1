package org.asynctask.exporter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.provider.tencent.ScfProvider;

/**
 * Tencent SCF API 3.0 (docs/providers.md §5, §6): {@code POST /} with {@code X-TC-Action} ListAsyncEvents,
 * ListNamespaces or ListFunctions; TC3 signatures verified; errors as HTTP 200 with
 * {@code Response.Error}; the documented 20 requests per second per SecretId enforced with
 * {@code RequestLimitExceeded}; {@code Limit} over 100 refused; default order DESC. Every follow-up page
 * request ({@code Offset > 0}) makes new events arrive first, as on a busy function: the case that
 * breaks naive offset paging.
 */
final class TencentSimulator implements ApiHandler {
    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final DateTimeFormatter IN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Set<String> STATUSES = Set.of("RUNNING", "FINISHED", "ABORTED", "FAILED");

    private final TaskLifecycleEngine engine;
    private final Tc3Gate gate;
    private final ZoneId zone;
    private final Clock clock;

    private final Faults faults;
    /** Listings (query without Offset) that shifted by one from this offset on: the DUPLICATE fault, kept for the whole scan. */
    private final Map<String, Long> shifts = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > 10_000;
        }
    };

    TencentSimulator(TaskLifecycleEngine engine, Map<String, String> secrets, ZoneId zone, Clock clock, Faults faults) {
        this.faults = faults;
        this.engine = engine;
        this.gate = new Tc3Gate(secrets, clock);
        this.zone = zone;
        this.clock = clock;
    }

    /** The most requests accepted from one SecretId within any one second so far. */
    int maxRequestsPerSecond() {
        return gate.busiestSecond();
    }

    /** Requests refused with RequestLimitExceeded so far. */
    long rateLimited() {
        return gate.rateLimited();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            Map<String, Object> response = new LinkedHashMap<>(answer(exchange));
            String requestId = UUID.randomUUID().toString();
            response.put("RequestId", requestId);
            SimHttp.json(exchange, 200, Map.of("Response", response), Map.of("X-TC-RequestId", requestId));
        } catch (Refused r) {
            refuse(exchange, r);
        } catch (RuntimeException e) {
            refuse(exchange, new Refused(500, "InternalError", String.valueOf(e)));
        } finally {
            exchange.close();
        }
    }

    /** API 3.0 answers errors with HTTP 200 too (§5.5), and sends no Retry-After. */
    @Override
    public void refuse(HttpExchange exchange, Refused r) throws IOException {
        String requestId = UUID.randomUUID().toString();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("Error", Map.of("Code", r.code, "Message", r.getMessage()));
        response.put("RequestId", requestId);
        SimHttp.json(exchange, 200, Map.of("Response", response), Map.of("X-TC-RequestId", requestId));
    }

    @Override
    public Refused serverError() {
        return new Refused(500, "InternalError", "internal error");
    }

    @Override
    public Refused throttled(int retryAfterSeconds) {
        return new Refused(429, "RequestLimitExceeded", "request frequency exceeds the limit");
    }

    private Map<String, Object> answer(HttpExchange exchange) throws IOException, Refused {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            throw new Refused(
                    404,
                    "UnsupportedOperation",
                    "no API at " + exchange.getRequestURI().getPath());
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            throw new Refused(400, "UnsupportedOperation", "this simulator takes POST with a JSON body");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
        String payload = SimHttp.body(exchange);
        gate.admit(headers, payload);
        JsonNode body = Json.MAPPER.readTree(payload.isEmpty() ? "{}" : payload);
        String action = String.valueOf(headers.get("x-tc-action"));
        return switch (action) {
            case "ListAsyncEvents" -> {
                try (ConcurrentPolls.Request counted = engine.polls()
                        .enter(ScfProvider.ID + "/" + body.path("Namespace").asText("default") + "/"
                                + body.path("FunctionName").asText("") + "/"
                                + body.path("Qualifier").asText(""))) {
                    yield listAsyncEvents(body);
                }
            }
            case "ListNamespaces" -> TencentDiscoveryAnswers.listNamespaces(engine, body);
            case "ListFunctions" -> TencentDiscoveryAnswers.listFunctions(engine, body);
            default -> throw new Refused(400, "InvalidAction", "action " + action + " is not supported");
        };
    }

    private Map<String, Object> listAsyncEvents(JsonNode q) throws Refused {
        String function = q.path("FunctionName").asText("");
        if (function.isEmpty()) {
            throw new Refused(400, "MissingParameter", "FunctionName is required");
        }
        String namespace = q.path("Namespace").asText("default");
        long offset = q.path("Offset").asLong(0);
        long limit = q.path("Limit").asLong(20);
        if (limit < 1 || limit > 100) {
            throw new Refused(400, "InvalidParameterValue.Limit", "Limit must be in [1,100]");
        }
        String order = q.path("Order").asText("DESC");
        String orderBy = q.path("Orderby").asText("StartTime");
        if (!order.equals("ASC") && !order.equals("DESC")) {
            throw new Refused(400, "InvalidParameterValue.Order", "Order must be ASC or DESC");
        }
        if (!orderBy.equals("StartTime") && !orderBy.equals("EndTime")) {
            throw new Refused(400, "InvalidParameterValue.Orderby", "Orderby must be StartTime or EndTime");
        }
        Set<String> statuses = new HashSet<>();
        for (JsonNode s : q.path("Status")) {
            if (!STATUSES.contains(s.asText())) {
                throw new Refused(400, "InvalidParameterValue.Status", "status " + s.asText() + " is unknown");
            }
            statuses.add(s.asText());
        }
        Long start = time(q.path("StartTimeInterval").path("Start"));
        Long end = time(q.path("StartTimeInterval").path("End"));
        // [Start, End) of the end time: only finished events (a running one's EndTime is empty).
        Long endedFrom = time(q.path("EndTimeInterval").path("Start"));
        Long endedTo = time(q.path("EndTimeInterval").path("End"));
        String qualifier = q.hasNonNull("Qualifier") ? q.get("Qualifier").asText() : null;
        String invokeRequestId =
                q.hasNonNull("InvokeRequestId") ? q.get("InvokeRequestId").asText() : null;
        Object result = engine.read(e -> {
            FunctionSim f = e.function(ScfProvider.ID, namespace, function);
            if (f == null) {
                return e.functions(ScfProvider.ID).stream()
                                .noneMatch(x -> x.namespace().equals(namespace))
                        ? new Refused(404, "ResourceNotFound.Namespace", "namespace " + namespace + " does not exist")
                        : new Refused(404, "ResourceNotFound.Function", "function " + function + " does not exist");
            }
            if (offset > 0) {
                e.arriveNow(f);
                e.arriveNow(f);
            }
            List<SimTask> matching = new ArrayList<>();
            for (int i = start == null ? 0 : f.firstStartedAtOrAfter(start); i < f.tasks.size(); i++) {
                SimTask t = f.tasks.get(i);
                if (end != null && t.startedMs() >= end) {
                    break;
                }
                boolean endedIn = (endedFrom == null && endedTo == null)
                        || t.finished()
                                && (endedFrom == null || t.endMs() >= endedFrom)
                                && (endedTo == null || t.endMs() < endedTo);
                if ((statuses.isEmpty() || statuses.contains(t.status()))
                        && (qualifier == null || qualifier.equals(t.qualifier()))
                        && (invokeRequestId == null || invokeRequestId.equals(t.id()))
                        && endedIn) {
                    matching.add(t);
                }
            }
            Comparator<SimTask> by = orderBy.equals("StartTime")
                    ? Comparator.comparingLong(SimTask::startedMs)
                    : Comparator.comparingLong(t -> t.finished() ? t.endMs() : Long.MAX_VALUE);
            if (!(orderBy.equals("StartTime") && order.equals("ASC"))) {
                // Tasks are kept in start order already (a stable sort would not change it).
                matching.sort(order.equals("ASC") ? by : by.reversed());
            }
            int shift = shifted(q, offset) ? 1 : 0;
            int from = (int) Math.min(offset - shift, matching.size());
            int to = (int) Math.min(from + limit, matching.size());
            if (to < matching.size() && to - from > 1 && faults.roll(ScfProvider.ID, FaultKind.MISSING)) {
                to--; // Fault: a short page that is not the end (TotalCount says so).
            }
            List<Object> events = new ArrayList<>();
            for (SimTask t : matching.subList(from, to)) {
                events.add(render(t));
            }
            return Map.of("TotalCount", matching.size() + shift, "EventList", events);
        });
        if (result instanceof Refused r) {
            throw r;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) result;
        return answer;
    }

    /**
     * The DUPLICATE fault, as offset paging really shows it: one task is inserted before the offset, so from
     * then on every page of this listing starts one task earlier (repeating the last one seen) and the
     * total grows by one.
     */
    private boolean shifted(JsonNode q, long offset) {
        if (offset == 0) {
            return false;
        }
        // The listing's identity, field by field: clients may order JSON fields differently (a restarted
        // exporter is another JVM, with another Map.of order), and it is still the same listing.
        String key = String.join(
                "|",
                q.path("Namespace").asText(),
                q.path("FunctionName").asText(),
                q.path("Qualifier").asText(),
                q.path("StartTimeInterval").path("Start").asText(),
                q.path("StartTimeInterval").path("End").asText(),
                q.path("EndTimeInterval").path("Start").asText(),
                q.path("EndTimeInterval").path("End").asText(),
                q.path("Status").toString(),
                q.path("Order").asText(),
                q.path("Orderby").asText(),
                q.path("Limit").asText(),
                q.path("InvokeRequestId").asText());
        synchronized (shifts) {
            Long from = shifts.get(key);
            if (from == null && faults.roll(ScfProvider.ID, FaultKind.DUPLICATE)) {
                shifts.put(key, offset);
                return true;
            }
            return from != null && offset >= from;
        }
    }

    private Map<String, Object> render(SimTask t) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("InvokeRequestId", t.id());
        o.put("Qualifier", t.qualifier());
        o.put("Status", t.status());
        o.put("InvokeType", "COS");
        o.put("StartTime", OUT.format(Instant.ofEpochMilli(t.startedMs()).atZone(zone)));
        o.put(
                "EndTime",
                t.finished() ? OUT.format(Instant.ofEpochMilli(t.endMs()).atZone(zone)) : "");
        return o;
    }

    private Long time(JsonNode v) throws Refused {
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        try {
            return LocalDateTime.parse(v.asText(), IN).atZone(zone).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            throw new Refused(400, "InvalidParameterValue", "time " + v.asText() + " is not yyyy-MM-dd HH:mm:ss");
        }
    }
}
