package org.asynctask.exporter.provider.tencent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.provider.DiscoverySettings;
import org.asynctask.exporter.provider.FunctionDiscovery;
import org.asynctask.exporter.provider.FunctionRef;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.ProviderException;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.secret.AccessKey;
import org.asynctask.exporter.secret.Secret;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TaskStatus;
import org.asynctask.exporter.testing.TestSources;
import org.junit.jupiter.api.Test;

class ScfProviderTest {
    private final ScfProvider provider = new ScfProvider();
    private final PartitionKey partition =
            new PartitionKey(ScfProvider.ID, "test", "1250000000", "ap-guangzhou", null, "my-func", null);
    private final PageQuery window = PageQuery.window(
            Instant.parse("2020-12-01T00:35:00.400Z"), Instant.parse("2020-12-01T00:40:00Z"), null, 100);

    static SourceConfig source(String endpoint, String zone) {
        return new SourceConfig(
                "test",
                ScfProvider.ID,
                "1250000000",
                "ap-guangzhou",
                endpoint,
                List.of(new FunctionRef(null, "my-func", null)),
                Duration.ofSeconds(30),
                100,
                new AccessKey("AKIDtest", new Secret("secret"), new Secret("sts")),
                false,
                TestSources.SCAN,
                null,
                DiscoverySettings.OFF,
                null,
                -1,
                ZoneId.of(zone));
    }

    @Test
    void mapsTheSeedSampleInTheConfiguredZone() throws Exception {
        String body;
        try (var in = getClass().getResourceAsStream("/fixtures/scf-list-async-events-seed-004.json")) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Page page =
                provider.parse(source(null, "Asia/Shanghai"), partition, window, new HttpReply(200, Map.of(), body));
        assertThat(page.last()).as("2 of TotalCount 2").isTrue();
        Task done = page.tasks().get(0);
        assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(done.providerStatus()).isEqualTo("FINISHED");
        assertThat(done.startedAt()).isEqualTo(Instant.parse("2020-12-01T00:35:00Z"));
        assertThat(done.endedAt()).isEqualTo(Instant.parse("2020-12-01T00:35:30Z"));
        assertThat(done.invokeType()).isEqualTo("COS");
        assertThat(done.qualifier()).isEqualTo("1");
        assertThat(done.namespace()).isEqualTo("default");
        Task running = page.tasks().get(1);
        assertThat(running.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(running.endedAt()).as("empty EndTime while running").isNull();
        assertThat(provider.parse(source(null, "UTC"), partition, window, new HttpReply(200, Map.of(), body))
                        .tasks()
                        .get(0)
                        .startedAt())
                .isEqualTo(Instant.parse("2020-12-01T08:35:00Z"));
    }

    @Test
    void postsAnAscendingStartTimeWindowSignedWithTc3() throws Exception {
        HttpCall call =
                provider.request(source(null, "Asia/Shanghai"), partition, window, Instant.ofEpochSecond(1704067200));
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.url()).isEqualTo("https://scf.tencentcloudapi.com/");
        assertThat(call.headers())
                .containsEntry("X-TC-Action", "ListAsyncEvents")
                .containsEntry("X-TC-Version", "2018-04-16")
                .containsEntry("X-TC-Timestamp", "1704067200")
                .containsEntry("X-TC-Region", "ap-guangzhou")
                .containsEntry("X-TC-Token", "sts")
                .containsEntry("Content-Type", "application/json; charset=utf-8");
        assertThat(call.headers().get("Authorization"))
                .startsWith(
                        "TC3-HMAC-SHA256 Credential=AKIDtest/2024-01-01/scf/tc3_request, SignedHeaders=content-type;host, Signature=");
        JsonNode body = Json.MAPPER.readTree(call.body());
        assertThat(body.get("FunctionName").asText()).isEqualTo("my-func");
        assertThat(body.get("Namespace").asText()).isEqualTo("default");
        assertThat(body.get("Order").asText()).isEqualTo("ASC");
        assertThat(body.get("Orderby").asText()).isEqualTo("StartTime");
        assertThat(body.at("/StartTimeInterval/Start").asText()).isEqualTo("2020-12-01 08:35:00");
        assertThat(body.at("/StartTimeInterval/End").asText())
                .as("End is exclusive")
                .isEqualTo("2020-12-01 08:40:01");
        assertThat(body.get("Offset").asLong()).isZero();
        assertThat(body.get("Limit").asInt()).isEqualTo(100);
        JsonNode lookup = Json.MAPPER.readTree(provider.request(
                        source(null, "UTC"),
                        partition,
                        PageQuery.lookup("req-1", Instant.parse("2020-12-01T00:00:10Z"), 10),
                        Instant.now())
                .body());
        assertThat(lookup.get("InvokeRequestId").asText()).isEqualTo("req-1");
        assertThat(body.has("EndTimeInterval")).isFalse();
        JsonNode ended = Json.MAPPER.readTree(provider.request(
                        source(null, "Asia/Shanghai"),
                        partition,
                        window.endedBetween(
                                Instant.parse("2020-12-01T00:38:00Z"), Instant.parse("2020-12-01T00:39:00Z")),
                        Instant.now())
                .body());
        assertThat(ended.at("/EndTimeInterval/Start").asText()).isEqualTo("2020-12-01 08:38:00");
        assertThat(ended.at("/EndTimeInterval/End").asText())
                .as("exclusive, as asked")
                .isEqualTo("2020-12-01 08:39:00");
        assertThat(provider.listsByEndTime()).isTrue();
    }

    @Test
    void pagesByOffsetUntilTotalCount() {
        String item = "{\"InvokeRequestId\":\"r\",\"Status\":\"RUNNING\",\"StartTime\":\"2020-12-01 08:35:00\"}";
        Page first = provider.parse(
                source(null, "UTC"),
                partition,
                PageQuery.window(Instant.EPOCH, Instant.EPOCH, null, 2),
                new HttpReply(
                        200, Map.of(), "{\"Response\":{\"TotalCount\":3,\"EventList\":[" + item + "," + item + "]}}"));
        assertThat(first.nextToken()).isEqualTo("2");
        Page last = provider.parse(
                source(null, "UTC"),
                partition,
                PageQuery.window(Instant.EPOCH, Instant.EPOCH, "2", 2),
                new HttpReply(200, Map.of(), "{\"Response\":{\"TotalCount\":3,\"EventList\":[" + item + "]}}"));
        assertThat(last.last()).isTrue();
    }

    /** The page is read from its tokens; these hold it to what reading it as a tree gave. */
    @Test
    void readsAnyFieldOrderAndValueKindAsATreeWould() {
        Page page = parse("{\"Other\":[1,{\"x\":2}],\"Response\":{\"RequestId\":\"rid\",\"EventList\":["
                + "{\"Qualifier\":7,\"Nested\":{\"Status\":\"FAILED\"},\"InvokeRequestId\":\"a\",\"Status\":\"RUNNING\","
                + "\"StartTime\":\"2020-12-01 08:35:00\",\"EndTime\":null,\"InvokeType\":[\"x\"]},"
                + "{\"InvokeRequestId\":\"b\",\"Status\":\"FINISHED\",\"StartTime\":\"2020-12-01 08:35:01.5\","
                + "\"EndTime\":\"2020-12-01 08:35:02\",\"Status\":\"FAILED\"}],\"TotalCount\":5},\"Tail\":true}");
        assertThat(page.tasks()).extracting(Task::taskId).containsExactly("a", "b");
        Task a = page.tasks().get(0);
        assertThat(a.qualifier()).isEqualTo("7");
        assertThat(a.providerStatus()).isEqualTo("RUNNING");
        assertThat(a.endedAt()).isNull();
        assertThat(a.invokeType()).as("not text: as absent").isNull();
        Task b = page.tasks().get(1);
        assertThat(b.providerStatus()).as("a field twice: the last counts").isEqualTo("FAILED");
        assertThat(b.startedAt()).isEqualTo(Instant.parse("2020-12-01T08:35:01.500Z"));
        assertThat(page.nextToken()).as("2 of 5").isEqualTo("2");

        assertThat(parse("{\"Response\":{\"TotalCount\":0}}").tasks())
                .as("no EventList")
                .isEmpty();
        assertThat(malformed("{\"Response\":{\"EventList\":null}}")).contains("'EventList' is not an array");
        assertThat(malformed("{\"Response\":{\"EventList\":{}}}")).contains("'EventList' is not an array");
        assertThat(malformed("{\"Answer\":{}}")).contains("no Response object");
        assertThat(malformed("{\"Response\":[]}")).contains("no Response object");
        assertThat(malformed("{\"Response\":{\"EventList\":[{\"Status\":\"RUNNING\"}]}}"))
                .contains("an event has no InvokeRequestId or Status");
        assertThat(malformed("{\"Response\":{\"EventList\":[{\"InvokeRequestId\":\"a\",\"Status\":\"RUNNING\","
                        + "\"StartTime\":\"yesterday\"}]}}"))
                .contains("'yesterday' is not a time");
        assertThat(malformed("{\"Response\":{\"EventList\":[")).contains("body is not JSON");
        // An error wins over an unusable event beside it, wherever the two are.
        ProviderException refused = assertThrowsProvider("{\"Response\":{\"EventList\":[{\"Status\":\"x\"}],"
                + "\"Error\":{\"Code\":\"RequestLimitExceeded\",\"Message\":\"slow down\"},\"RequestId\":\"rid\"}}");
        assertThat(refused.code()).isEqualTo("RequestLimitExceeded");
        assertThat(refused.retriable()).isTrue();
        assertThat(refused.requestId()).isEqualTo("rid");
    }

    private Page parse(String body) {
        return provider.parse(source(null, "UTC"), partition, window, new HttpReply(200, Map.of(), body));
    }

    private String malformed(String body) {
        ProviderException e = assertThrowsProvider(body);
        assertThat(e.code()).isEqualTo("MalformedResponse");
        return e.getMessage();
    }

    private ProviderException assertThrowsProvider(String body) {
        try {
            parse(body);
        } catch (ProviderException e) {
            return e;
        }
        throw new AssertionError("no error for " + body);
    }

    @Test
    void classifiesErrorsThatArriveAsHttp200() {
        assertThat(error("RequestLimitExceeded").retriable()).isTrue();
        assertThat(error("InternalError").retriable()).isTrue();
        assertThat(error("AuthFailure.SignatureFailure").retriable()).isFalse();
        assertThat(error("ResourceNotFound.Function").retriable()).isFalse();
        assertThat(error("InvalidParameterValue.Limit").retriable()).isFalse();
        ProviderException e = error("ResourceNotFound.Namespace");
        assertThat(e.code()).isEqualTo("ResourceNotFound.Namespace");
        assertThat(e.requestId()).isEqualTo("rid");
        assertThat(e.getMessage()).contains("tencent-scf source 'test'", "default/my-func", "no such namespace");
    }

    private ProviderException error(String code) {
        try {
            provider.parse(
                    source(null, "UTC"),
                    partition,
                    window,
                    new HttpReply(
                            200,
                            Map.of(),
                            "{\"Response\":{\"Error\":{\"Code\":\"" + code
                                    + "\",\"Message\":\"no such namespace\"},\"RequestId\":\"rid\"}}"));
        } catch (ProviderException e) {
            return e;
        }
        throw new AssertionError("no error");
    }

    @Test
    void discoveryWalksNamespacesThenTheirFunctions() throws Exception {
        FunctionDiscovery d = provider.discovery();
        SourceConfig s = source(null, "UTC");
        assertThat(d.request(s, null, Instant.now()).headers()).containsEntry("X-TC-Action", "ListNamespaces");
        FunctionDiscovery.FunctionPage namespaces = d.parse(
                s,
                null,
                new HttpReply(
                        200,
                        Map.of(),
                        "{\"Response\":{\"TotalCount\":2,\"Namespaces\":[{\"Name\":\"default\"},{\"Name\":\"jobs\"}]}}"));
        assertThat(namespaces.functions()).isEmpty();
        String token = namespaces.nextToken();
        HttpCall functions = d.request(s, token, Instant.now());
        assertThat(functions.headers()).containsEntry("X-TC-Action", "ListFunctions");
        assertThat(Json.MAPPER.readTree(functions.body()).get("Namespace").asText())
                .isEqualTo("default");
        FunctionDiscovery.FunctionPage first = d.parse(
                s,
                token,
                new HttpReply(
                        200, Map.of(), "{\"Response\":{\"TotalCount\":1,\"Functions\":[{\"FunctionName\":\"a\"}]}}"));
        assertThat(first.functions()).containsExactly(new FunctionRef("default", "a", null));
        assertThat(Json.MAPPER
                        .readTree(d.request(s, first.nextToken(), Instant.now()).body())
                        .get("Namespace")
                        .asText())
                .isEqualTo("jobs");
        FunctionDiscovery.FunctionPage second = d.parse(
                s,
                first.nextToken(),
                new HttpReply(
                        200, Map.of(), "{\"Response\":{\"TotalCount\":1,\"Functions\":[{\"FunctionName\":\"b\"}]}}"));
        assertThat(second.functions()).containsExactly(new FunctionRef("jobs", "b", null));
        assertThat(second.nextToken()).isNull();
    }
}
