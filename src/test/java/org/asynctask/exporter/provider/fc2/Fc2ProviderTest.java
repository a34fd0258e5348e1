package org.asynctask.exporter.provider.fc2;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import org.asynctask.exporter.provider.alibaba.FcSigner;
import org.asynctask.exporter.secret.AccessKey;
import org.asynctask.exporter.secret.Secret;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TaskStatus;
import org.asynctask.exporter.testing.TestSources;
import org.junit.jupiter.api.Test;

class Fc2ProviderTest {
    private final Fc2Provider provider = new Fc2Provider();
    private final PartitionKey partition =
            new PartitionKey("alibaba-fc2", "test", "1234567890123456", "cn-hangzhou", "my-svc", "my-func", null);
    private final PageQuery window =
            PageQuery.window(Instant.ofEpochMilli(1000), Instant.ofEpochMilli(2000), null, 100);

    static SourceConfig source(String endpoint, String signature, boolean payload) {
        return new SourceConfig(
                "test",
                "alibaba-fc2",
                "1234567890123456",
                "cn-hangzhou",
                endpoint,
                List.of(new FunctionRef("my-svc", "my-func", null)),
                Duration.ofSeconds(30),
                100,
                new AccessKey("ak", new Secret("YourAccessKeySecret"), null),
                payload,
                TestSources.SCAN,
                signature,
                DiscoverySettings.OFF,
                null,
                -1,
                null);
    }

    private static String fixture(String name) throws Exception {
        try (var in = Fc2ProviderTest.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void mapsTheSeedSampleWithTheCorrectedFieldNames() throws Exception {
        Page page = provider.parse(
                source(null, null, true),
                partition,
                window,
                new HttpReply(200, Map.of(), fixture("fc2-list-stateful-async-invocations-seed-001.json")));

        assertThat(page.nextToken()).isEqualTo("caeba0be03****f84eb48b699f0a4883");
        Task t = page.tasks().get(0);
        assertThat(t.provider()).isEqualTo("alibaba-fc2");
        assertThat(t.taskId()).isEqualTo("e026ae92-61e5-472f-b32d-1c9e3c4e****");
        assertThat(t.requestId()).isEqualTo("403fcbd6-ec41-401f-9fa7-386f3d3d****");
        assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(t.terminal()).isTrue();
        assertThat(t.namespace()).isEqualTo("my-svc");
        assertThat(t.qualifier()).isEqualTo("alias");
        assertThat(t.destinationStatus()).isEqualTo("Succeeded");
        assertThat(t.errorMessage()).isEqualTo("UnhandledInvocationError");
        assertThat(t.payload()).isEqualTo("hello world");
        assertThat(t.retries()).isEqualTo(3L);
        assertThat(t.startedAt()).isEqualTo(Instant.parse("2020-08-20T02:28:21Z"));
        assertThat(t.endedAt()).isEqualTo(Instant.parse("2020-08-20T02:38:21Z"));
        assertThat(t.taskKey())
                .isEqualTo(
                        "alibaba-fc2/1234567890123456/cn-hangzhou/my-svc/my-func/e026ae92-61e5-472f-b32d-1c9e3c4e****");
    }

    @Test
    void parsesTheDiscoverySampleAndItsQuotedEmptyToken() throws Exception {
        FunctionDiscovery.FunctionPage page = provider.discovery()
                .parse(
                        source(null, null, false),
                        null,
                        new HttpReply(
                                200, Map.of(), fixture("fc2-list-stateful-async-invocation-functions-seed-002.json")));
        assertThat(page.functions()).containsExactly(new FunctionRef("serviceName", "functionName", "LATEST"));
        assertThat(page.nextToken())
                .as("the sample's literal \"\" means no more pages")
                .isNull();
        assertThat(provider.discovery()
                        .parse(source(null, null, false), null, new HttpReply(200, Map.of(), "{\"data\":[]}"))
                        .nextToken())
                .isNull();
        assertThat(provider.discovery()
                        .parse(
                                source(null, null, false),
                                null,
                                new HttpReply(200, Map.of(), "{\"data\":[],\"nextToken\":\"abc\"}"))
                        .nextToken())
                .isEqualTo("abc");
    }

    @Test
    void signsWithAcs3ForAlibabaEndpointsAndFcElsewhereUnlessConfigured() {
        assertThat(provider.request(source(null, null, false), partition, window, Instant.now())
                        .headers()
                        .get("Authorization"))
                .startsWith("ACS3-HMAC-SHA256 ");
        assertThat(provider.request(source("http://127.0.0.1:9", null, false), partition, window, Instant.now())
                        .headers()
                        .get("Authorization"))
                .startsWith("FC ak:");
        assertThat(provider.request(source("http://127.0.0.1:9", "acs3", false), partition, window, Instant.now())
                        .headers()
                        .get("Authorization"))
                .startsWith("ACS3-HMAC-SHA256 ");
    }

    @Test
    void fcSignatureCoversDateAccountHeaderAndDecodedPath() {
        Instant now = Instant.parse("2022-05-11T09:00:00Z");
        HttpCall call = provider.request(
                source("http://127.0.0.1:9", "fc", false),
                new PartitionKey("alibaba-fc2", "test", "1234567890123456", "cn-hangzhou", "my svc", "my-func", "prod"),
                window,
                now);

        assertThat(call.headers())
                .containsEntry("Date", "Wed, 11 May 2022 09:00:00 GMT")
                .containsEntry("x-fc-account-id", "1234567890123456");
        String expected = FcSigner.stringToSign(
                "GET",
                "",
                "",
                "Wed, 11 May 2022 09:00:00 GMT",
                Map.of("x-fc-account-id", "1234567890123456"),
                "/2021-04-06/services/my svc/functions/my-func/stateful-async-invocations");
        assertThat(call.headers().get("Authorization"))
                .isEqualTo(FcSigner.authorization("ak", expected, "YourAccessKeySecret"));
        URI uri = URI.create(call.url());
        assertThat(uri.getRawPath())
                .isEqualTo("/2021-04-06/services/my%20svc/functions/my-func/stateful-async-invocations");
        assertThat(uri.getRawQuery())
                .isEqualTo("limit=100&qualifier=prod&sortOrderByTime=asc&startedTimeBegin=1000&startedTimeEnd=2000");
    }

    @Test
    void looksUpOldTasksByInvocationIdPrefix() {
        HttpCall call = provider.request(
                source("http://127.0.0.1:9", "fc", true),
                partition,
                PageQuery.lookup("inv-1", Instant.ofEpochMilli(5), 10),
                Instant.now());
        assertThat(URI.create(call.url()).getRawQuery())
                .isEqualTo("includePayload=true&invocationIdPrefix=inv-1&limit=10");
    }

    @Test
    void readsFc2ErrorBodiesAndTheRequestIdHeader() {
        try {
            provider.parse(
                    source(null, null, false),
                    partition,
                    window,
                    new HttpReply(
                            404,
                            Map.of("X-Fc-Request-Id", "req-9"),
                            "{\"ErrorCode\":\"ServiceNotFound\",\"ErrorMessage\":\"service my-svc not found\"}"));
            throw new AssertionError("no error");
        } catch (ProviderException e) {
            assertThat(e.code()).isEqualTo("ServiceNotFound");
            assertThat(e.requestId()).isEqualTo("req-9");
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).contains("service my-svc not found", "my-svc/my-func");
        }
    }
}
