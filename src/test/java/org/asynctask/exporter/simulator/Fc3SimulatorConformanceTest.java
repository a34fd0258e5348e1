package org.asynctask.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.alibaba.Acs3Signer;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.MutableClock;
import org.asynctask.exporter.testing.TestSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FC 3.0 simulator over real HTTP, with requests signed by the exporter's own provider code:
 * paging, every filter, every error. Simulated time is moved by hand, so answers are exact.
 */
class Fc3SimulatorConformanceTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final SimProfile PROFILE =
            new SimProfile(3, 20, Duration.ofMillis(500), Duration.ofSeconds(30), 0.1);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final HttpClient http = HttpClient.newHttpClient();
    private final Fc3Provider provider = new Fc3Provider();
    private SimulatorServer sim;
    private SourceConfig source;

    @BeforeEach
    void start() {
        sim = SimulatorServer.start(0, dir, PROFILE, clock);
        source = TestSources.fc3(sim.baseUrl(), SimulatedAlibaba.KEY_ID, "simulator-demo-secret-0000000000", false);
        for (int i = 0; i < 100; i++) {
            clock.advance(Duration.ofMillis(100));
            sim.engine().advance();
        }
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private record Answer(int status, JsonNode body) {
        List<String> ids() {
            List<String> ids = new ArrayList<>();
            body.path("tasks").forEach(t -> ids.add(t.get("taskId").asText()));
            return ids;
        }
    }

    private Answer call(SourceConfig src, PartitionKey partition, PageQuery query, Instant signedAt) throws Exception {
        HttpCall c = provider.request(src, partition, query, signedAt);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(c.url())).GET();
        c.headers().forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), Json.MAPPER.readTree(r.body()));
    }

    private Answer call(PartitionKey partition, PageQuery query) throws Exception {
        return call(source, partition, query, clock.instant());
    }

    private List<SimTask> truthOf(String function) {
        return sim.engine()
                .read(e ->
                        List.copyOf(e.function(Fc3Provider.ID, null, function).tasks()));
    }

    private PageQuery everything(String token, int limit) {
        return PageQuery.window(T0, clock.instant(), token, limit);
    }

    @Test
    void pagesThroughEveryTaskOnceInStartOrder() throws Exception {
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Answer a = call(TestSources.partition("orders", null), everything(token, 7));
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.ids().size()).isLessThanOrEqualTo(7);
            seen.addAll(a.ids());
            token = a.body().get("nextToken").asText();
            pages++;
        } while (!token.isEmpty());

        List<String> expected = truthOf("orders").stream().map(SimTask::id).toList();
        assertThat(expected).hasSizeGreaterThan(100);
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo((expected.size() + 6) / 7);
    }

    @Test
    void sortsDescendingByDefaultAndAscendingOnRequest() throws Exception {
        List<String> truth = truthOf("orders").stream().map(SimTask::id).toList();
        List<String> reversed = new ArrayList<>(truth);
        Collections.reverse(reversed);
        assertThat(idsOf(signedGet("/2023-03-30/functions/orders/async-tasks", "limit=30")))
                .isEqualTo(reversed.subList(0, 30));
        assertThat(idsOf(signedGet("/2023-03-30/functions/orders/async-tasks", "limit=30&sortOrderByTime=desc")))
                .isEqualTo(reversed.subList(0, 30));
        assertThat(idsOf(signedGet("/2023-03-30/functions/orders/async-tasks", "limit=30&sortOrderByTime=asc")))
                .isEqualTo(truth.subList(0, 30));
    }

    @Test
    void filtersByStatus() throws Exception {
        List<String> expected = truthOf("orders").stream()
                .filter(t -> t.status().equals("Succeeded"))
                .map(SimTask::id)
                .toList();
        assertThat(expected).isNotEmpty();
        JsonNode body = Json.MAPPER.readTree(signedGet(
                "/2023-03-30/functions/orders/async-tasks", "limit=100&sortOrderByTime=asc&status=Succeeded"));
        assertThat(idsOf(body.toString())).isEqualTo(expected.subList(0, Math.min(100, expected.size())));
        body.get("tasks").forEach(t -> assertThat(t.get("status").asText()).isEqualTo("Succeeded"));
    }

    @Test
    void refusesAnUnknownStatus() throws Exception {
        JsonNode body = Json.MAPPER.readTree(signedGet("/2023-03-30/functions/orders/async-tasks", "status=Paused"));
        assertThat(body.get("Code").asText()).isEqualTo("InvalidArgument");
    }

    private static List<String> idsOf(String body) throws Exception {
        List<String> ids = new ArrayList<>();
        Json.MAPPER
                .readTree(body)
                .path("tasks")
                .forEach(t -> ids.add(t.get("taskId").asText()));
        return ids;
    }

    @Test
    void filtersByIdPrefix() throws Exception {
        SimTask some = truthOf("thumbnails").get(5);
        Answer a = call(TestSources.partition("thumbnails", null), PageQuery.lookup(some.id(), null, 10));
        assertThat(a.ids()).containsExactly(some.id());
        String prefix = some.id().substring(0, 1);
        Answer many = call(TestSources.partition("thumbnails", null), PageQuery.lookup(prefix, null, 100));
        long expected = truthOf("thumbnails").stream()
                .filter(t -> t.id().startsWith(prefix))
                .count();
        assertThat(many.ids()).hasSize((int) expected).allMatch(id -> id.startsWith(prefix));
    }

    @Test
    void filtersByQualifier() throws Exception {
        List<String> prod = truthOf("reports").stream()
                .filter(t -> "prod".equals(t.qualifier()))
                .map(SimTask::id)
                .toList();
        assertThat(call(TestSources.partition("reports", "prod"), everything(null, 100))
                        .ids())
                .isNotEmpty()
                .allSatisfy(
                        id -> assertThat(prod).as("a task of qualifier prod").contains(id));
        assertThat(call(TestSources.partition("reports", "LATEST"), everything(null, 100))
                        .ids())
                .isEmpty();
    }

    @Test
    void filtersByStartTimeInclusively() throws Exception {
        List<SimTask> all = truthOf("orders");
        PageQuery range = PageQuery.window(
                Instant.ofEpochMilli(all.get(10).startedMs()),
                Instant.ofEpochMilli(all.get(20).startedMs()),
                null,
                100);
        assertThat(call(TestSources.partition("orders", null), range).ids())
                .containsExactlyElementsOf(
                        all.subList(10, 21).stream().map(SimTask::id).toList());
    }

    @Test
    void returnsPayloadsOnlyWhenAsked() throws Exception {
        JsonNode without = call(TestSources.partition("orders", null), everything(null, 5))
                .body()
                .get("tasks")
                .get(0);
        SourceConfig withPayload =
                TestSources.fc3(sim.baseUrl(), SimulatedAlibaba.KEY_ID, "simulator-demo-secret-0000000000", true);
        JsonNode with = call(withPayload, TestSources.partition("orders", null), everything(null, 5), clock.instant())
                .body()
                .get("tasks")
                .get(0);
        assertThat(without.has("taskPayload")).isFalse();
        assertThat(with.get("taskPayload").asText()).startsWith("{");
    }

    @Test
    void tasksMoveThroughStatusesAndTheTruthRecordsEveryMove() throws Exception {
        SimTask running = truthOf("orders").stream()
                .filter(t -> !t.finished())
                .findFirst()
                .orElseThrow();
        String before = running.status();
        for (int i = 0; i < 700; i++) {
            clock.advance(Duration.ofMillis(100));
            sim.engine().advance();
        }
        Answer a = call(TestSources.partition("orders", null), PageQuery.lookup(running.id(), null, 10));
        JsonNode t = a.body().get("tasks").get(0);
        List<String> truth =
                GroundTruth.read(sim.transitions()).statusesByTask().get(running.id());
        assertThat(truth).contains(before);
        assertThat(t.get("status").asText()).isEqualTo(truth.get(truth.size() - 1));
        List<String> events = new ArrayList<>();
        t.get("events").forEach(e -> events.add(e.get("status").asText()));
        assertThat(events).as("the task's events are its history").isEqualTo(truth);
    }

    @Test
    void sameSeedSameWorld() {
        MutableClock other = new MutableClock(T0);
        try (SimulatorServer twin = SimulatorServer.start(0, dir.resolve("twin"), PROFILE, other)) {
            for (int i = 0; i < 100; i++) {
                other.advance(Duration.ofMillis(100));
                twin.engine().advance();
            }
            List<String> a =
                    truthOf("orders").stream().map(t -> t.id() + t.plan).toList();
            List<String> b = twin.engine()
                    .read(e -> e.function(Fc3Provider.ID, null, "orders").tasks().stream()
                            .map(t -> t.id() + t.plan)
                            .toList());
            assertThat(b).isEqualTo(a);
        }
    }

    @Test
    void refusesABadSignature() throws Exception {
        SourceConfig wrong = TestSources.fc3(sim.baseUrl(), SimulatedAlibaba.KEY_ID, "not-the-secret", false);
        Answer a = call(wrong, TestSources.partition("orders", null), everything(null, 10), clock.instant());
        assertError(a, 403, "SignatureNotMatch");
    }

    @Test
    void refusesAnUnknownAccessKey() throws Exception {
        SourceConfig unknown = TestSources.fc3(sim.baseUrl(), "LTAI-nobody", "x", false);
        assertError(
                call(unknown, TestSources.partition("orders", null), everything(null, 10), clock.instant()),
                403,
                "InvalidAccessKeyId.NotFound");
    }

    @Test
    void refusesASkewedDate() throws Exception {
        assertError(
                call(
                        source,
                        TestSources.partition("orders", null),
                        everything(null, 10),
                        clock.instant().minus(Duration.ofMinutes(20))),
                403,
                "RequestTimeTooSkewed");
    }

    @Test
    void refusesAnUnsignedRequest() throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/2023-03-30/functions/orders/async-tasks?limit=10"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(new Answer(r.statusCode(), Json.MAPPER.readTree(r.body())), 403, "AccessDenied");
    }

    @Test
    void refusesALimitOutsideOneToHundred() throws Exception {
        assertError(call(TestSources.partition("orders", null), everything(null, 0)), 400, "InvalidArgument");
        assertError(call(TestSources.partition("orders", null), everything(null, 101)), 400, "InvalidArgument");
        assertThat(call(TestSources.partition("orders", null), everything(null, 100))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void refusesAnUnknownPageToken() throws Exception {
        Answer a = call(TestSources.partition("orders", null), everything("made-up-token", 10));
        assertError(a, 400, "InvalidArgument");
        assertThat(a.body().get("Message").asText()).contains("nextToken");
    }

    @Test
    void refusesATokenReusedWithAnotherQuery() throws Exception {
        String token = call(TestSources.partition("orders", null), everything(null, 5))
                .body()
                .get("nextToken")
                .asText();
        assertThat(token).isNotEmpty();
        PageQuery other = PageQuery.window(T0.plusSeconds(1), clock.instant(), token, 5);
        assertError(call(TestSources.partition("orders", null), other), 400, "InvalidArgument");
    }

    @Test
    void refusesAnUnknownFunction() throws Exception {
        assertError(
                call(TestSources.partition("no-such-function", null), everything(null, 10)), 404, "FunctionNotFound");
    }

    private void assertError(Answer a, int status, String code) {
        assertThat(a.status()).isEqualTo(status);
        assertThat(a.body().get("Code").asText()).isEqualTo(code);
        // A request id the caller can quote to support: a UUID, as Alibaba's are.
        assertThat(a.body().get("RequestId").asText())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    /** A GET with any query, signed the ACS3 way (for parameters the exporter itself never sends). */
    private String signedGet(String path, String rawQuery) throws Exception {
        Map<String, String> params = SimHttp.query(rawQuery);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", URI.create(sim.baseUrl()).getRawAuthority());
        headers.put(
                "x-acs-date", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        headers.put("x-acs-content-sha256", Acs3Signer.EMPTY_BODY_SHA256);
        String auth = Acs3Signer.authorization(
                "GET",
                path,
                params,
                headers,
                Acs3Signer.EMPTY_BODY_SHA256,
                SimulatedAlibaba.KEY_ID,
                "simulator-demo-secret-0000000000");
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + path + "?" + Acs3Signer.canonicalQuery(params)));
        headers.forEach((k, v) -> {
            if (!k.equals("host")) {
                b.header(k, v);
            }
        });
        b.header("Authorization", auth);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
