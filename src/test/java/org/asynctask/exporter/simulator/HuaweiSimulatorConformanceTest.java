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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.provider.DiscoverySettings;
import org.asynctask.exporter.provider.FunctionDiscovery;
import org.asynctask.exporter.provider.FunctionRef;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.huawei.FunctionGraphProvider;
import org.asynctask.exporter.provider.huawei.FunctionGraphTestAccess;
import org.asynctask.exporter.secret.AccessKey;
import org.asynctask.exporter.secret.Secret;
import org.asynctask.exporter.testing.MutableClock;
import org.asynctask.exporter.testing.TestSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FunctionGraph simulator over real HTTP, with requests built by the exporter's own provider. */
class HuaweiSimulatorConformanceTest {
    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    private static final String SK = "simulator-demo-huawei-sk-00000000000000";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final HttpClient http = HttpClient.newHttpClient();
    private final FunctionGraphProvider provider = new FunctionGraphProvider();
    private SimulatorServer sim;
    private final PartitionKey resize = new PartitionKey(
            FunctionGraphProvider.ID,
            "test",
            SimulatedFunctionGraph.PROJECT,
            SimulatedFunctionGraph.REGION,
            "default",
            "resize",
            null);

    @BeforeEach
    void start() {
        sim = SimulatorServer.start(
                0, dir, new SimProfile(9, 20, Duration.ofMillis(500), Duration.ofSeconds(30), 0.1), clock);
        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofMillis(100));
            sim.engine().advance();
        }
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private SourceConfig source(String sk, Secret token) {
        return new SourceConfig(
                "test",
                FunctionGraphProvider.ID,
                SimulatedFunctionGraph.PROJECT,
                SimulatedFunctionGraph.REGION,
                sim.baseUrl(),
                List.of(new FunctionRef("default", "resize", null)),
                Duration.ofSeconds(30),
                100,
                token != null ? null : new AccessKey(SimulatedFunctionGraph.AK, new Secret(sk), null),
                false,
                TestSources.SCAN,
                null,
                DiscoverySettings.OFF,
                token,
                -1,
                null);
    }

    private record Answer(int status, JsonNode body) {}

    private Answer send(HttpCall c) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(c.url())).GET();
        c.headers().forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), Json.MAPPER.readTree(r.body()));
    }

    private List<SimTask> truth() {
        return sim.engine()
                .read(e -> List.copyOf(e.function(FunctionGraphProvider.ID, "default", "resize")
                        .tasks()));
    }

    @Test
    void pagesWithMarkersThroughEveryInvocationOfTheWindow() throws Exception {
        List<String> ids = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            HttpCall call = provider.request(
                    source(SK, null),
                    resize,
                    PageQuery.window(T0.minus(Duration.ofHours(3)), clock.instant(), marker, 7),
                    clock.instant());
            Answer a = send(call);
            assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
            a.body().get("invocations").forEach(t -> ids.add(t.get("request_id").asText()));
            marker = provider.parse(
                            source(SK, null),
                            resize,
                            PageQuery.window(T0, T0, marker, 7),
                            new HttpReply(200, Map.of(), a.body().toString()))
                    .nextToken();
            pages++;
        } while (marker != null);
        assertThat(ids)
                .containsExactlyInAnyOrderElementsOf(
                        truth().stream().map(SimTask::id).toList());
        assertThat(ids).hasSizeGreaterThan(40);
        assertThat(pages)
                .as("the end rule stops at the last page, no empty extra call")
                .isEqualTo((ids.size() + 6) / 7);
    }

    @Test
    void withoutQueryBeginTimeOnlyTheLastHourIsShownAndTheSimulatorCountsIt() throws Exception {
        List<String> old = truth().stream()
                .filter(t -> t.startedMs() < T0.minus(Duration.ofHours(1)).toEpochMilli())
                .map(SimTask::id)
                .toList();
        assertThat(old).as("tasks begun two hours ago").hasSize(2);
        HttpCall withWindow = provider.request(
                source(SK, null),
                resize,
                PageQuery.window(T0.minus(Duration.ofHours(3)), clock.instant(), null, 500),
                clock.instant());
        assertThat(ids(send(withWindow))).containsAll(old);
        assertThat(sim.api(SimulatedFunctionGraph.class).requestsWithoutBeginTime())
                .isZero();

        // The same request as a client that forgets query_begin_time would send it (re-signed without it).
        HttpCall forgetful = withoutBeginTime(source(SK, null));
        assertThat(ids(send(forgetful))).doesNotContainAnyElementsOf(old).isNotEmpty();
        assertThat(sim.api(SimulatedFunctionGraph.class).requestsWithoutBeginTime())
                .isEqualTo(1);
    }

    private HttpCall withoutBeginTime(SourceConfig source) {
        HttpCall full =
                provider.request(source, resize, PageQuery.window(T0, clock.instant(), null, 500), clock.instant());
        String url = full.url().replaceAll("&query_begin_time=[^&]*", "");
        // Re-sign: the signature covers the query.
        return FunctionGraphTestAccess.signedGet(source, URI.create(url), clock.instant());
    }

    private static List<String> ids(Answer a) {
        List<String> ids = new ArrayList<>();
        a.body().get("invocations").forEach(t -> ids.add(t.get("request_id").asText()));
        return ids;
    }

    @Test
    void refusesABadSignatureTheGatewayWayAndAcceptsTheToken() throws Exception {
        Answer bad = send(provider.request(
                source("wrong", null), resize, PageQuery.window(T0, clock.instant(), null, 10), clock.instant()));
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.body().get("error_code").asText()).isEqualTo("APIGW.0301");
        Answer token = send(provider.request(
                source(null, new Secret(SimulatedFunctionGraph.TOKEN)),
                resize,
                PageQuery.window(T0, clock.instant(), null, 10),
                clock.instant()));
        assertThat(token.status()).isEqualTo(200);
        Answer badToken = send(provider.request(
                source(null, new Secret("stolen")),
                resize,
                PageQuery.window(T0, clock.instant(), null, 10),
                clock.instant()));
        assertThat(badToken.status()).isEqualTo(401);
    }

    @Test
    void unknownFunctionAndBadLimitAreFssErrors() throws Exception {
        PartitionKey missing = new PartitionKey(
                FunctionGraphProvider.ID,
                "test",
                SimulatedFunctionGraph.PROJECT,
                SimulatedFunctionGraph.REGION,
                "default",
                "nope",
                null);
        Answer a = send(provider.request(
                source(SK, null), missing, PageQuery.window(T0, clock.instant(), null, 10), clock.instant()));
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.body().get("error_code").asText()).isEqualTo("FSS.0404");
        Answer tooMany = send(provider.request(
                source(SK, null), resize, PageQuery.window(T0, clock.instant(), null, 501), clock.instant()));
        assertThat(tooMany.status()).isEqualTo(400);
    }

    @Test
    void listFunctionsFeedsDiscovery() throws Exception {
        FunctionDiscovery discovery = provider.discovery();
        Answer a = send(discovery.request(source(SK, null), null, clock.instant()));
        FunctionDiscovery.FunctionPage page = discovery.parse(
                source(SK, null),
                null,
                new HttpReply(a.status(), Map.of(), a.body().toString()));
        assertThat(page.functions())
                .containsExactlyInAnyOrder(
                        new FunctionRef("default", "resize", "latest"), new FunctionRef("default", "notify", "latest"));
        assertThat(page.nextToken()).isNull();
    }
}
