package org.asynctask.exporter.provider.huawei;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.provider.DiscoverySettings;
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

class FunctionGraphProviderTest {
    static final String PROJECT = "0123456789abcdef0123456789abcdef";
    private final FunctionGraphProvider provider = new FunctionGraphProvider();
    private final PartitionKey partition =
            new PartitionKey(FunctionGraphProvider.ID, "test", PROJECT, "cn-north-4", null, "my-func", null);
    private final PageQuery window = PageQuery.window(
            Instant.parse("2024-01-01T00:00:00.250Z"), Instant.parse("2024-01-01T01:00:00.750Z"), null, 100);

    static SourceConfig source(String endpoint, Secret token) {
        return new SourceConfig(
                "test",
                FunctionGraphProvider.ID,
                PROJECT,
                "cn-north-4",
                endpoint,
                List.of(new FunctionRef(null, "my-func", null)),
                Duration.ofSeconds(30),
                100,
                token != null
                        ? null
                        : new AccessKey(
                                "QTWAOYTTINDUT2QVKYUC", new Secret("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"), null),
                false,
                TestSources.SCAN,
                null,
                DiscoverySettings.OFF,
                token,
                -1,
                null);
    }

    @Test
    void mapsTheSeedSample() throws Exception {
        String body;
        try (var in = getClass().getResourceAsStream("/fixtures/huawei-list-async-invocations-seed-003.json")) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Page page = provider.parse(source(null, null), partition, window, new HttpReply(200, Map.of(), body));
        assertThat(page.last()).as("no next_marker: the end").isTrue();
        Task t = page.tasks().get(0);
        assertThat(t.taskId()).isEqualTo("403fcbd6-ec41-401f-9fa7-386f3d3d****");
        assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(t.providerStatus()).isEqualTo("SUCCESS");
        assertThat(t.startedAt()).isEqualTo(Instant.parse("2019-10-25T15:37:27Z"));
        assertThat(t.endedAt()).isEqualTo(Instant.parse("2019-10-25T15:37:27Z"));
        assertThat(t.errorCode()).as("error_code 0 means none").isNull();
        assertThat(t.errorMessage()).as("empty means none").isNull();
        // Listed as my-func: the package and version its URN names.
        assertThat(t.namespace()).isEqualTo("default");
        assertThat(t.qualifier()).isEqualTo("latest");
        assertThat(t.taskKey())
                .isEqualTo("huawei-functiongraph/" + PROJECT
                        + "/cn-north-4/default/my-func/403fcbd6-ec41-401f-9fa7-386f3d3d****");
    }

    @Test
    void readsTimesWithOrWithoutZAndAnEmptyEndTime() {
        String body = """
                {"invocations":[{"request_id":"r1","status":"RUNNING","start_time":"2024-01-01T00:00:05Z","end_time":"","error_code":0},
                                {"request_id":"r2","status":"FAIL","start_time":"2024-01-01T00:00:06","end_time":"2024-01-01T00:00:09",
                                 "error_code":"FSS.0500","error_message":"crashed"}],"count":5,"next_marker":2}""";
        Page page = provider.parse(
                source(null, null),
                partition,
                PageQuery.window(Instant.EPOCH, Instant.EPOCH, null, 2),
                new HttpReply(200, Map.of(), body));
        assertThat(page.tasks().get(0).startedAt()).isEqualTo(Instant.parse("2024-01-01T00:00:05Z"));
        assertThat(page.tasks().get(0).endedAt()).isNull();
        assertThat(page.tasks().get(1).errorCode()).isEqualTo("FSS.0500");
        assertThat(page.tasks().get(1).status()).isEqualTo(TaskStatus.FAILED);
        assertThat(page.nextToken()).isEqualTo("2");
    }

    @Test
    void endsWhereCountSaysOrWithoutCountOnAnyEndSign() {
        String item = "{\"request_id\":\"r\",\"status\":\"WAIT\",\"start_time\":\"2024-01-01T00:00:00\"}";
        PageQuery two = PageQuery.window(Instant.EPOCH, Instant.EPOCH, null, 2);
        assertThat(next("{\"invocations\":[" + item + "," + item + "],\"count\":4,\"next_marker\":2}", two))
                .isEqualTo("2");
        assertThat(next("{\"invocations\":[" + item + "," + item + "],\"count\":2,\"next_marker\":2}", two))
                .as("next_marker >= count")
                .isNull();
        assertThat(next("{\"invocations\":[" + item + "," + item + "],\"count\":9}", two))
                .as("no next_marker")
                .isNull();
        assertThat(next("{\"invocations\":[" + item + "],\"count\":9,\"next_marker\":1}", two))
                .as("a short page is not the end while count says more")
                .isEqualTo("1");
        assertThat(next("{\"invocations\":[" + item + "],\"next_marker\":1}", two))
                .as("short page, no count")
                .isNull();
        assertThat(next("{\"invocations\":[],\"count\":9,\"next_marker\":7}", two))
                .as("empty page")
                .isNull();
        PageQuery later = PageQuery.window(Instant.EPOCH, Instant.EPOCH, "4", 2);
        assertThat(next("{\"invocations\":[" + item + "," + item + "],\"count\":9,\"next_marker\":4}", later))
                .as("next_marker that does not move forward")
                .isNull();
    }

    private String next(String body, PageQuery q) {
        return provider.parse(source(null, null), partition, q, new HttpReply(200, Map.of(), body))
                .nextToken();
    }

    @Test
    void everyRequestCarriesQueryBeginAndEndTime() {
        HttpCall scan = provider.request(source(null, null), partition, window, Instant.now());
        URI uri = URI.create(scan.url());
        assertThat(uri.getHost()).isEqualTo("functiongraph.cn-north-4.myhuaweicloud.com");
        assertThat(uri.getRawPath())
                .isEqualTo("/v2/" + PROJECT + "/fgs/functions/urn%3Afss%3Acn-north-4%3A" + PROJECT
                        + "%3Afunction%3Adefault%3Amy-func%3Alatest/async-invocations");
        assertThat(uri.getRawQuery())
                .isEqualTo("limit=100&marker=0&query_begin_time=2024-01-01T00%3A00%3A00"
                        + "&query_end_time=2024-01-01T01%3A00%3A01");
        HttpCall lookup = provider.request(
                source(null, null),
                partition,
                PageQuery.lookup("req-1", Instant.parse("2023-06-01T10:00:00Z"), 10),
                Instant.now());
        assertThat(URI.create(lookup.url()).getRawQuery())
                .isEqualTo("limit=10&marker=0&query_begin_time=2023-06-01T09%3A59%3A59"
                        + "&query_end_time=2023-06-01T10%3A00%3A01&request_id=req-1");
    }

    @Test
    void signsWithAkSkOrSendsTheToken() {
        Instant now = Instant.parse("2024-01-01T00:00:00Z");
        HttpCall signed = provider.request(source(null, null), partition, window, now);
        assertThat(signed.headers())
                .containsEntry("x-sdk-date", "20240101T000000Z")
                .containsEntry("X-Project-Id", PROJECT)
                .as("mandatory in the API document")
                .containsEntry("Content-Type", "application/json");
        assertThat(signed.headers().get("Authorization"))
                .startsWith(
                        "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=");
        HttpCall token = provider.request(source(null, new Secret("iam-token")), partition, window, now);
        assertThat(token.headers())
                .containsEntry("X-Auth-Token", "iam-token")
                .containsEntry("Content-Type", "application/json")
                .doesNotContainKey("Authorization");
    }

    @Test
    void classifiesFssAndGatewayErrors() {
        assertThat(error(403, "{\"error_code\":\"FSS.0403\",\"error_msg\":\"invalid token\"}")
                        .retriable())
                .isFalse();
        assertThat(error(404, "{\"error_code\":\"FSS.0404\",\"error_msg\":\"can not find function\"}")
                        .code())
                .isEqualTo("FSS.0404");
        assertThat(error(500, "{\"error_code\":\"FSS.0500\",\"error_msg\":\"xxx\"}")
                        .retriable())
                .isTrue();
        assertThat(error(
                                401,
                                "{\"error_code\":\"APIGW.0301\",\"error_msg\":\"Incorrect IAM authentication information\"}")
                        .retriable())
                .isFalse();
        assertThat(error(429, "{\"error_code\":\"APIGW.0308\",\"error_msg\":\"throttled\"}")
                        .retriable())
                .isTrue();
        assertThat(error(403, "{\"error_code\":\"FSS.0403\",\"error_msg\":\"invalid token\"}")
                        .getMessage())
                .contains("huawei-functiongraph source 'test'", "FSS.0403", "invalid token");
    }

    private ProviderException error(int status, String body) {
        try {
            provider.parse(source(null, null), partition, window, new HttpReply(status, Map.of(), body));
        } catch (ProviderException e) {
            return e;
        }
        throw new AssertionError("no error");
    }

    @Test
    void timesAreUtcSecondsWithoutZone() {
        assertThat(HuaweiTimes.floor(Instant.parse("2024-01-01T00:00:00.999Z"))).isEqualTo("2024-01-01T00:00:00");
        assertThat(HuaweiTimes.ceil(Instant.parse("2024-01-01T00:00:00.001Z"))).isEqualTo("2024-01-01T00:00:01");
        assertThat(HuaweiTimes.ceil(Instant.parse("2024-01-01T00:00:00Z"))).isEqualTo("2024-01-01T00:00:00");
        assertThatThrownBy(() -> HuaweiTimes.parse("yesterday")).hasMessageContaining("yesterday");
    }
}
