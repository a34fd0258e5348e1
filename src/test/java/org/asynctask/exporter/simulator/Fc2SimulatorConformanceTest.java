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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.provider.DiscoverySettings;
import org.asynctask.exporter.provider.FunctionRef;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.alibaba.AlibabaApi;
import org.asynctask.exporter.provider.fc2.Fc2Provider;
import org.asynctask.exporter.secret.AccessKey;
import org.asynctask.exporter.secret.Secret;
import org.asynctask.exporter.testing.MutableClock;
import org.asynctask.exporter.testing.TestSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FC 2.0 simulator over real HTTP with requests signed by the exporter's FC 2.0 provider, both schemes. */
class Fc2SimulatorConformanceTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String SECRET = "simulator-demo-secret-0000000000";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final HttpClient http = HttpClient.newHttpClient();
    private final Fc2Provider provider = new Fc2Provider();
    private SimulatorServer sim;

    @BeforeEach
    void start() {
        sim = SimulatorServer.start(
                0, dir, new SimProfile(5, 20, Duration.ofMillis(500), Duration.ofSeconds(30), 0.1), clock);
        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofMillis(100));
            sim.engine().advance();
        }
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private SourceConfig source(String signature, String secret) {
        return new SourceConfig(
                "test",
                "alibaba-fc2",
                SimulatedAlibaba.ACCOUNT,
                SimulatedAlibaba.REGION,
                sim.baseUrl(),
                List.of(),
                Duration.ofSeconds(30),
                100,
                new AccessKey(SimulatedAlibaba.KEY_ID, new Secret(secret), null),
                false,
                TestSources.SCAN,
                signature,
                DiscoverySettings.OFF,
                null,
                -1,
                null);
    }

    private static PartitionKey partition(String service, String function) {
        return new PartitionKey(
                "alibaba-fc2", "test", SimulatedAlibaba.ACCOUNT, SimulatedAlibaba.REGION, service, function, null);
    }

    private record Answer(int status, JsonNode body, String requestIdHeader) {}

    private Answer send(HttpCall c) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(c.url())).GET();
        c.headers().forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
                r.statusCode(),
                Json.MAPPER.readTree(r.body()),
                r.headers().firstValue("x-fc-request-id").orElse(null));
    }

    private List<String> allIds(String signature) throws Exception {
        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            Answer a = send(provider.request(
                    source(signature, SECRET),
                    partition("billing", "invoice"),
                    PageQuery.window(T0, clock.instant(), token, 7),
                    clock.instant()));
            assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
            a.body()
                    .get("invocations")
                    .forEach(t -> ids.add(t.get("invocationId").asText()));
            token = a.body().get("nextToken").asText();
        } while (!token.isEmpty());
        return ids;
    }

    @Test
    void pagesThroughEveryInvocationWithEitherSignature() throws Exception {
        List<String> truth = sim.engine()
                .read(e -> e.function("alibaba-fc2", "billing", "invoice").tasks().stream()
                        .map(SimTask::id)
                        .toList());
        assertThat(truth).hasSizeGreaterThan(30);
        assertThat(allIds("fc")).containsExactlyElementsOf(truth);
        assertThat(allIds("acs3")).containsExactlyElementsOf(truth);
    }

    @Test
    void looksUpByInvocationIdPrefixAndUsesFc2FieldNames() throws Exception {
        SimTask some = sim.engine()
                .read(e ->
                        e.function("alibaba-fc2", "billing", "refund").tasks().get(3));
        Answer a = send(provider.request(
                source("fc", SECRET),
                partition("billing", "refund"),
                PageQuery.lookup(some.id(), null, 10),
                clock.instant()));
        JsonNode t = a.body().get("invocations").get(0);
        assertThat(t.get("invocationId").asText()).isEqualTo(some.id());
        assertThat(t.get("serviceName").asText()).isEqualTo("billing");
        assertThat(t.get("functionName").asText()).isEqualTo("refund");
        assertThat(t.has("taskId")).isFalse();
        assertThat(a.body().get("invocations")).hasSize(1);
    }

    @Test
    void refusesBadFcSignaturesTheFc2Way() throws Exception {
        Answer bad = send(provider.request(
                source("fc", "wrong"),
                partition("billing", "invoice"),
                PageQuery.window(T0, clock.instant(), null, 10),
                clock.instant()));
        assertThat(bad.status()).isEqualTo(403);
        assertThat(bad.body().get("ErrorCode").asText()).isEqualTo("SignatureNotMatch");
        assertThat(bad.body().has("ErrorMessage")).isTrue();
        assertThat(bad.requestIdHeader()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

        Answer skewed = send(provider.request(
                source("fc", SECRET),
                partition("billing", "invoice"),
                PageQuery.window(T0, clock.instant(), null, 10),
                clock.instant().minus(Duration.ofMinutes(20))));
        assertThat(skewed.body().get("ErrorCode").asText()).isEqualTo("RequestTimeTooSkewed");

        Answer badAcs3 = send(provider.request(
                source("acs3", "wrong"),
                partition("billing", "invoice"),
                PageQuery.window(T0, clock.instant(), null, 10),
                clock.instant()));
        assertThat(badAcs3.body().get("ErrorCode").asText()).isEqualTo("SignatureNotMatch");
    }

    @Test
    void tellsAMissingServiceFromAMissingFunction() throws Exception {
        assertThat(send(provider.request(
                                source("fc", SECRET),
                                partition("nope", "invoice"),
                                PageQuery.window(T0, clock.instant(), null, 10),
                                clock.instant()))
                        .body()
                        .get("ErrorCode")
                        .asText())
                .isEqualTo("ServiceNotFound");
        assertThat(send(provider.request(
                                source("fc", SECRET),
                                partition("billing", "nope"),
                                PageQuery.window(T0, clock.instant(), null, 10),
                                clock.instant()))
                        .body()
                        .get("ErrorCode")
                        .asText())
                .isEqualTo("FunctionNotFound");
    }

    @Test
    void listsFunctionsPageByPageAndForgetsRemovedOnes() throws Exception {
        List<String> found = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("limit", "1");
            if (token != null) {
                q.put("nextToken", token);
            }
            Answer a = send(AlibabaApi.fcGet(
                    sim.baseUrl(),
                    "/2021-04-06/stateful-async-invocation-functions",
                    "/2021-04-06/stateful-async-invocation-functions",
                    q,
                    SimulatedAlibaba.ACCOUNT,
                    new AccessKey(SimulatedAlibaba.KEY_ID, new Secret(SECRET), null),
                    clock.instant()));
            assertThat(a.body().get("data")).hasSizeLessThanOrEqualTo(1);
            a.body()
                    .get("data")
                    .forEach(d -> found.add(d.get("serviceName").asText() + "/"
                            + d.get("functionName").asText() + ":"
                            + d.get("qualifier").asText()));
            token = a.body().get("nextToken").asText();
        } while (!token.isEmpty());
        assertThat(found)
                .containsExactlyInAnyOrder("billing/invoice:LATEST", "billing/refund:LATEST", "media/transcode:prod");

        sim.api(SimulatedFc2.class).removeFunction("billing", "refund");
        var page = provider.discovery()
                .parse(
                        source("fc", SECRET),
                        null,
                        httpReply(send(provider.discovery().request(source("fc", SECRET), null, clock.instant()))));
        assertThat(page.functions())
                .containsExactlyInAnyOrder(
                        new FunctionRef("billing", "invoice", "LATEST"), new FunctionRef("media", "transcode", "prod"));
        assertThat(send(provider.request(
                                source("fc", SECRET),
                                partition("billing", "refund"),
                                PageQuery.window(T0, clock.instant(), null, 10),
                                clock.instant()))
                        .body()
                        .get("ErrorCode")
                        .asText())
                .isEqualTo("FunctionNotFound");
    }

    private static HttpReply httpReply(Answer a) {
        return new HttpReply(a.status(), Map.of(), a.body().toString());
    }
}
