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
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.secret.AccessKey;
import org.asynctask.exporter.secret.Secret;
import org.asynctask.exporter.testing.MutableClock;
import org.asynctask.exporter.testing.TestSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SCF simulator over real HTTP, with requests built and signed by the exporter's own SCF provider. */
class TencentSimulatorConformanceTest {
    private static final Instant T0 = Instant.parse("2026-01-01T04:00:00Z");
    private static final String KEY = "simulator-demo-tencent-secret-key0000";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScfProvider provider = new ScfProvider();
    private final PartitionKey etl =
            new PartitionKey(ScfProvider.ID, "test", SimulatedScf.APP_ID, SimulatedScf.REGION, "jobs", "etl", null);
    private SimulatorServer sim;

    @BeforeEach
    void start() {
        sim = SimulatorServer.start(
                0, dir, new SimProfile(4, 20, Duration.ofMillis(500), Duration.ofSeconds(30), 0.1), clock);
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofMillis(100));
            sim.engine().advance();
        }
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private SourceConfig source(String key) {
        return new SourceConfig(
                "test",
                ScfProvider.ID,
                SimulatedScf.APP_ID,
                SimulatedScf.REGION,
                sim.baseUrl(),
                List.of(new FunctionRef("jobs", "etl", null)),
                Duration.ofSeconds(30),
                100,
                new AccessKey(SimulatedScf.SECRET_ID, new Secret(key), null),
                false,
                TestSources.SCAN,
                null,
                DiscoverySettings.OFF,
                null,
                -1,
                SimulatedScf.ZONE);
    }

    private JsonNode send(HttpCall c) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(c.url())).POST(HttpRequest.BodyPublishers.ofString(c.body()));
        c.headers().forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode())
                .as("API 3.0 answers errors with HTTP 200 too")
                .isEqualTo(200);
        return Json.MAPPER.readTree(r.body()).get("Response");
    }

    private PageQuery everything(String offset, int limit) {
        return PageQuery.window(T0.minusSeconds(60), clock.instant(), offset, limit);
    }

    @Test
    void pagesAscendingThroughTheWindowWhileNewEventsArrive() throws Exception {
        List<String> truthBefore = sim.engine()
                .read(e -> e.function(ScfProvider.ID, "jobs", "etl").tasks().stream()
                        .map(SimTask::id)
                        .toList());
        List<String> ids = new ArrayList<>();
        String offset = null;
        PageQuery window = everything(null, 7);
        do {
            PageQuery q = PageQuery.window(window.from(), window.to(), offset, 7);
            JsonNode r = send(provider.request(source(KEY), etl, q, clock.instant()));
            r.get("EventList").forEach(e -> ids.add(e.get("InvokeRequestId").asText()));
            offset = provider.parse(
                            source(KEY),
                            etl,
                            q,
                            new HttpReply(200, Map.of(), Json.MAPPER.writeValueAsString(Map.of("Response", r))))
                    .nextToken();
            clock.advance(Duration.ofSeconds(1));
        } while (offset != null);
        int arrivedMeanwhile = sim.engine()
                        .read(e -> e.function(ScfProvider.ID, "jobs", "etl")
                                .tasks()
                                .size())
                - truthBefore.size();
        assertThat(arrivedMeanwhile).as("events arrived between page requests").isPositive();
        // Ascending, in a window that ends (to the second) at the scan's start: new events can only come
        // after the ones already there, so nothing shifts: every event once, in order.
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids.subList(0, truthBefore.size())).containsExactlyElementsOf(truthBefore);
    }

    @Test
    void filtersByEndTimeAsTheApiDocumentsIt() throws Exception {
        // [Start, End) of EndTime, whole seconds; running events (EndTime empty) never match.
        Instant endFrom = T0.plusSeconds(1);
        Instant endTo = T0.plusSeconds(3);
        PageQuery q = PageQuery.window(T0.minusSeconds(60), clock.instant(), null, 100)
                .endedBetween(endFrom, endTo);
        JsonNode r = send(provider.request(source(KEY), etl, q, clock.instant()));
        List<String> listed = new ArrayList<>();
        r.get("EventList").forEach(e -> listed.add(e.get("InvokeRequestId").asText()));
        List<String> expected = sim.engine()
                .read(e -> e.function(ScfProvider.ID, "jobs", "etl").tasks().stream()
                        .filter(t ->
                                t.finished() && t.endMs() >= endFrom.toEpochMilli() && t.endMs() < endTo.toEpochMilli())
                        .map(SimTask::id)
                        .toList());
        assertThat(expected).as("some events ended in the window").isNotEmpty();
        assertThat(listed).containsExactlyElementsOf(expected);
        assertThat(r.get("TotalCount").asInt()).isEqualTo(expected.size());
    }

    @Test
    void refusesBadSignaturesAndStaleTimestampsTheTencentWay() throws Exception {
        assertThat(send(provider.request(source("wrong"), etl, everything(null, 10), clock.instant()))
                        .at("/Error/Code")
                        .asText())
                .isEqualTo("AuthFailure.SignatureFailure");
        assertThat(send(provider.request(
                                source(KEY),
                                etl,
                                everything(null, 10),
                                clock.instant().minus(Duration.ofMinutes(6))))
                        .at("/Error/Code")
                        .asText())
                .isEqualTo("AuthFailure.SignatureExpire");
    }

    @Test
    void refusesALimitOverOneHundredAndUnknownFunctionsAndNamespaces() throws Exception {
        assertThat(send(provider.request(source(KEY), etl, everything(null, 101), clock.instant()))
                        .at("/Error/Code")
                        .asText())
                .isEqualTo("InvalidParameterValue.Limit");
        PartitionKey noFunction = new PartitionKey(ScfProvider.ID, "test", "1", "ap-guangzhou", "jobs", "nope", null);
        assertThat(send(provider.request(source(KEY), noFunction, everything(null, 10), clock.instant()))
                        .at("/Error/Code")
                        .asText())
                .isEqualTo("ResourceNotFound.Function");
        PartitionKey noNamespace = new PartitionKey(ScfProvider.ID, "test", "1", "ap-guangzhou", "nope", "etl", null);
        assertThat(send(provider.request(source(KEY), noNamespace, everything(null, 10), clock.instant()))
                        .at("/Error/Code")
                        .asText())
                .isEqualTo("ResourceNotFound.Namespace");
    }

    @Test
    void answersTheTwentyFirstRequestOfASecondWithRequestLimitExceeded() throws Exception {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            codes.add(send(provider.request(source(KEY), etl, everything(null, 1), clock.instant()))
                    .at("/Error/Code")
                    .asText(""));
        }
        assertThat(codes).contains("RequestLimitExceeded");
        assertThat(codes.subList(0, 20)).as("twenty in a second are fine").allMatch(String::isEmpty);
        assertThat(sim.api(SimulatedScf.class).rateLimited()).isPositive();
    }

    @Test
    void listsNamespacesAndTheirFunctionsForDiscovery() throws Exception {
        FunctionDiscovery d = provider.discovery();
        List<FunctionRef> found = new ArrayList<>();
        String token = null;
        do {
            JsonNode r = send(d.request(source(KEY), token, clock.instant()));
            FunctionDiscovery.FunctionPage page = d.parse(
                    source(KEY),
                    token,
                    new HttpReply(200, Map.of(), Json.MAPPER.writeValueAsString(Map.of("Response", r))));
            found.addAll(page.functions());
            token = page.nextToken();
        } while (token != null);
        assertThat(found)
                .containsExactlyInAnyOrder(
                        new FunctionRef("default", "report", null), new FunctionRef("jobs", "etl", null));
    }
}
