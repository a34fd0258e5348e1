package org.asynctask.exporter.provider.fc3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.ProviderException;
import org.asynctask.exporter.provider.ProviderException.Kind;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.secret.AccessKey;
import org.asynctask.exporter.secret.Secret;
import org.asynctask.exporter.task.HistoryEntry;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TaskStatus;
import org.asynctask.exporter.testing.TestSources;
import org.junit.jupiter.api.Test;

class Fc3ProviderTest {
    private final Fc3Provider provider = new Fc3Provider();
    private final PartitionKey orders = TestSources.partition("my-func", null);
    private final PageQuery window =
            PageQuery.window(Instant.ofEpochMilli(1000), Instant.ofEpochMilli(2000), null, 100);

    private static String seedSample() throws Exception {
        try (var in = Fc3ProviderTest.class.getResourceAsStream("/fixtures/fc3-list-async-tasks-seed-000.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void mapsTheSeedSampleResponse() throws Exception {
        SourceConfig source = TestSources.fc3(null, "ak", "sk", false);

        Page page = provider.parse(source, orders, window, new HttpReply(200, Map.of(), seedSample()));

        assertThat(page.last()).as("empty nextToken ends the listing").isTrue();
        assertThat(page.tasks()).hasSize(1);
        Task t = page.tasks().get(0);
        assertThat(t.taskId()).isEqualTo("e026ae92-61e5-472f-b32d-1c9e3c4e****");
        assertThat(t.requestId()).isEqualTo("e026ae92-61e5-472f-b32d-1c9e3c4e****");
        assertThat(t.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(t.providerStatus()).isEqualTo("Running");
        assertThat(t.terminal()).isFalse();
        assertThat(t.startedAt()).isEqualTo(Instant.ofEpochMilli(1633449590000L));
        assertThat(t.endedAt()).isEqualTo(Instant.ofEpochMilli(1633449590000L));
        assertThat(t.durationMs()).isEqualTo(1000L);
        assertThat(t.retries()).isEqualTo(3L);
        assertThat(t.errorMessage()).isEqualTo("UnhandledInvocationError");
        assertThat(t.destinationStatus()).isEqualTo("Succeeded");
        assertThat(t.instanceId()).isEqualTo("D4-*******9FD1-882707E");
        assertThat(t.qualifier()).as("the task's own qualifier").isEqualTo("prod");
        assertThat(t.function()).isEqualTo("my-func");
        assertThat(t.provider()).isEqualTo("alibaba-fc3");
        // Its only event reports Succeeded, not the current Running: the history is what the seed says.
        assertThat(t.history()).containsExactly(new HistoryEntry("Succeeded", 1647420449721L));
        assertThat(t.payload()).as("payloads are off by default").isNull();
        assertThat(t.result()).isNull();
    }

    @Test
    void keepsPayloadsOnlyWhenTheSourceAsksForThem() throws Exception {
        Task t = provider.parse(
                        TestSources.fc3(null, "ak", "sk", true),
                        orders,
                        window,
                        new HttpReply(200, Map.of(), seedSample()))
                .tasks()
                .get(0);
        assertThat(t.payload()).isEqualTo("body");
        assertThat(t.result()).isEqualTo("result");
    }

    @Test
    void theHistoryIsTheTasksEventsInTheirOrder() {
        String body = """
                {"tasks":[{"taskId":"t1","status":"Running","startedTime":100,"events":[
                  {"eventId":1,"status":"Enqueued","timestamp":100},{"eventId":3,"status":"Running","timestamp":300},
                  {"eventId":2,"status":"Running","timestamp":200}]}],"nextToken":"abc"}""";
        Page page = provider.parse(
                TestSources.fc3(null, "ak", "sk", false), orders, window, new HttpReply(200, Map.of(), body));
        assertThat(page.tasks().get(0).history())
                .containsExactly(
                        new HistoryEntry("Enqueued", 100),
                        new HistoryEntry("Running", 200),
                        new HistoryEntry("Running", 300));
        assertThat(page.tasks().get(0).statusTime())
                .as("an observation carries no status time: its history does")
                .isNull();
        assertThat(page.nextToken()).isEqualTo("abc");
    }

    @Test
    void everyStatusOfTheTableIsMappedAndUnknownOnesAreKept() {
        Map<String, TaskStatus> expected = Map.of(
                "Enqueued",
                TaskStatus.QUEUED,
                "Dequeued",
                TaskStatus.QUEUED,
                "Running",
                TaskStatus.RUNNING,
                "Retrying",
                TaskStatus.RETRYING,
                "Stopping",
                TaskStatus.STOPPING,
                "Succeeded",
                TaskStatus.SUCCEEDED,
                "Failed",
                TaskStatus.FAILED,
                "Stopped",
                TaskStatus.STOPPED,
                "Expired",
                TaskStatus.EXPIRED,
                "Invalid",
                TaskStatus.INVALID);
        expected.forEach((raw, normalized) ->
                assertThat(provider.statuses().normalize(raw)).as(raw).isEqualTo(normalized));
        assertThat(provider.statuses().normalize("Paused")).isEqualTo(TaskStatus.UNKNOWN);
        assertThat(provider.statuses().unknownSeen()).isEqualTo(1);
        assertThat(TaskStatus.UNKNOWN.terminal())
                .as("unknown tasks stay watched")
                .isFalse();
    }

    @Test
    void windowRequestCarriesTheWindowAscendingOrderAndPageToken() {
        SourceConfig source = TestSources.fc3(null, "ak", "sk", true);
        PageQuery q = PageQuery.window(Instant.ofEpochMilli(1000), Instant.ofEpochMilli(2000), "tok/+=", 100);

        HttpCall call = provider.request(
                source, TestSources.partition("my func", "prod"), q, Instant.parse("2024-01-01T00:00:00Z"));

        URI uri = URI.create(call.url());
        assertThat(uri.getHost()).isEqualTo("1234567890123456.cn-hangzhou.fc.aliyuncs.com");
        assertThat(uri.getScheme()).isEqualTo("https");
        assertThat(uri.getRawPath()).isEqualTo("/2023-03-30/functions/my%20func/async-tasks");
        assertThat(uri.getRawQuery())
                .isEqualTo("includePayload=true&limit=100&nextToken=tok%2F%2B%3D&qualifier=prod"
                        + "&sortOrderByTime=asc&startedTimeBegin=1000&startedTimeEnd=2000");
        assertThat(call.headers())
                .containsEntry("x-acs-action", "ListAsyncTasks")
                .containsEntry("x-acs-version", "2023-03-30")
                .containsEntry("x-acs-date", "2024-01-01T00:00:00Z")
                .doesNotContainKey("host");
        assertThat(call.headers().get("Authorization"))
                .startsWith("ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;");
        assertThat(call.toString()).doesNotContain("Authorization");
    }

    @Test
    void statusFilterIsSentWhenAsked() {
        HttpCall call = provider.request(
                TestSources.fc3("http://127.0.0.1:9", "ak", "sk", false),
                orders,
                window.withStatus("Running"),
                Instant.now());
        assertThat(URI.create(call.url()).getRawQuery()).contains("&status=Running");
    }

    @Test
    void lookupAsksByIdPrefixWithoutWindow() {
        HttpCall call = provider.request(
                TestSources.fc3("http://127.0.0.1:9/", "ak", "sk", false),
                orders,
                PageQuery.lookup("task-1", Instant.ofEpochMilli(5), 10),
                Instant.now());
        assertThat(call.url())
                .isEqualTo("http://127.0.0.1:9/2023-03-30/functions/my-func/async-tasks?limit=10&prefix=task-1");
    }

    @Test
    void securityTokenIsSentAndSigned() {
        SourceConfig base = TestSources.fc3(null, "ak", "sk", false);
        SourceConfig sts = new SourceConfig(
                base.name(),
                base.provider(),
                base.account(),
                base.region(),
                null,
                base.functions(),
                base.interval(),
                base.pageSize(),
                new AccessKey("ak", new Secret("sk"), new Secret("sts-token")),
                false,
                base.scan(),
                null,
                base.discovery(),
                null,
                -1,
                null);
        HttpCall call = provider.request(sts, orders, window, Instant.now());
        assertThat(call.headers()).containsEntry("x-acs-security-token", "sts-token");
        assertThat(call.headers().get("Authorization")).contains("x-acs-security-token");
    }

    @Test
    void classifiesErrorAnswers() {
        SourceConfig source = TestSources.fc3(null, "ak", "sk", false);
        ProviderException denied = parseError(
                source, 403, "{\"Code\":\"SignatureNotMatch\",\"Message\":\"bad signature\",\"RequestId\":\"r-1\"}");
        assertThat(denied.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(denied.code()).isEqualTo("SignatureNotMatch");
        assertThat(denied.requestId()).isEqualTo("r-1");
        assertThat(denied.getMessage())
                .contains("source 'test'", "HTTP 403", "SignatureNotMatch", "bad signature", "r-1");

        assertThat(parseError(source, 429, "{\"Code\":\"TooManyRequests\"}").kind())
                .isEqualTo(Kind.RETRIABLE);
        assertThat(parseError(source, 400, "{\"Code\":\"ResourceThrottled\"}").kind())
                .isEqualTo(Kind.RETRIABLE);
        assertThat(parseError(source, 503, "<html>bad gateway</html>").kind()).isEqualTo(Kind.RETRIABLE);
        assertThat(parseError(source, 404, "{\"code\":\"FunctionNotFound\",\"message\":\"no\"}")
                        .code())
                .isEqualTo("FunctionNotFound");
        assertThat(parseError(source, 400, "{\"Code\":\"InvalidArgument\",\"Message\":\"invalid nextToken\"}")
                        .kind())
                .isEqualTo(Kind.INVALID_PAGE_TOKEN);
    }

    @Test
    void malformedBodiesAreRetriableErrorsNamingTheSource() {
        SourceConfig source = TestSources.fc3(null, "ak", "sk", false);
        for (String body : new String[] {
            "{\"tasks\":[{\"taskId\":\"t\"",
            "[]",
            "{\"tasks\":{}}",
            "{\"tasks\":[{\"status\":\"Running\",\"startedTime\":1}]}",
            "{\"tasks\":[{\"taskId\":\"t\",\"status\":\"Running\"}]}"
        }) {
            assertThatThrownBy(() -> provider.parse(source, orders, window, new HttpReply(200, Map.of(), body)))
                    .as(body)
                    .isInstanceOfSatisfying(ProviderException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.RETRIABLE);
                        assertThat(e.getMessage()).contains("alibaba-fc3 source 'test'");
                    });
        }
    }

    private ProviderException parseError(SourceConfig source, int status, String body) {
        try {
            provider.parse(source, orders, window, new HttpReply(status, Map.of(), body));
        } catch (ProviderException e) {
            return e;
        }
        throw new AssertionError("no error for HTTP " + status);
    }
}
