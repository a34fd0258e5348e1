package org.asynctask.exporter.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.secret.Secret;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Webhook alerts against a local HTTP receiver that checks each format's shape and signature. */
class AlertDispatcherTest {
    private static final String DING_SECRET = "SECdingtalk-test-signing-secret";
    private static final String FEISHU_SECRET = "feishu-test-signing-secret";
    private static final String GENERIC_SECRET = "generic-test-signing-secret";

    /** One request the receiver got. */
    private record Received(String path, String query, Map<String, List<String>> headers, String body) {
        JsonNode json() throws Exception {
            return Json.MAPPER.readTree(body);
        }
    }

    private final HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Path → how many more requests to refuse (500, or DingTalk's "send too fast"). */
    private final Map<String, AtomicInteger> failNext = new ConcurrentHashMap<>();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private volatile CountDownLatch hold = new CountDownLatch(0);

    AlertDispatcherTest() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiver.createContext("/", exchange -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            AtomicInteger fail = failNext.get(path);
            int status = 200;
            String answer = switch (path) {
                case "/dingtalk", "/wecom" -> "{\"errcode\":0,\"errmsg\":\"ok\"}";
                case "/feishu" -> "{\"code\":0,\"msg\":\"success\",\"data\":{}}";
                default -> "ok";
            };
            if (fail != null && fail.getAndDecrement() > 0) {
                if (path.equals("/dingtalk")) {
                    answer = "{\"errcode\":130101,\"errmsg\":\"send too fast\"}";
                } else {
                    status = 500;
                    answer = "busy";
                }
            } else {
                received.add(new Received(
                        path, exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body));
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        hold.countDown();
        receiver.stop(0);
    }

    private Webhook hook(String name, WebhookFormat format, String secret) {
        return new Webhook(
                name,
                format,
                new Secret("http://127.0.0.1:" + receiver.getAddress().getPort() + "/" + name
                        + (format == WebhookFormat.DINGTALK ? "?access_token=test-token" : "")),
                secret == null ? null : new Secret(secret));
    }

    private AlertDispatcher dispatcher(int maxPerFunction, Duration window, Webhook... hooks) {
        return new AlertDispatcher(
                new AlertSettings(
                        AlertSettings.DEFAULT_STATUSES,
                        maxPerFunction,
                        window,
                        Duration.ofHours(1),
                        Duration.ofSeconds(30),
                        100,
                        List.of(hooks)),
                Clock.systemUTC(),
                registry);
    }

    private static StatusChange change(String eventId, String function, TaskStatus status) {
        Task t = Task.builder()
                .location("alibaba-fc3", "prod", "123", "cn-hangzhou", null, function, null)
                .taskId("task-" + eventId)
                .status(status, status == TaskStatus.FAILED ? "Failed" : "Running")
                .startedAt(Instant.parse("2026-11-22T10:00:00Z"))
                .endedAt(status == TaskStatus.FAILED ? Instant.parse("2026-11-22T10:00:42Z") : null)
                .errorMessage(status == TaskStatus.FAILED ? "UnhandledInvocationError: boom" : null)
                .build();
        return new StatusChange(eventId, TaskStatus.RUNNING, "Running", t, Instant.parse("2026-11-22T10:00:42Z"));
    }

    private List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals("/" + path)).toList();
    }

    @Test
    void everyFormatGetsItsOwnMessageShapeAndSignature() throws Exception {
        try (AlertDispatcher alerts = dispatcher(
                10,
                Duration.ofMinutes(10),
                hook("generic", WebhookFormat.GENERIC, GENERIC_SECRET),
                hook("dingtalk", WebhookFormat.DINGTALK, DING_SECRET),
                hook("feishu", WebhookFormat.FEISHU, FEISHU_SECRET),
                hook("wecom", WebhookFormat.WECOM, null),
                hook("slack", WebhookFormat.SLACK, null))) {
            alerts.accept(List.of(
                    change("ev-running", "orders", TaskStatus.RUNNING),
                    change("ev-failed", "orders", TaskStatus.FAILED)));
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 5);
        }
        // Only the FAILED event is an alert.
        Received generic = at("generic").get(0);
        assertThat(generic.json().path("id").asText()).isEqualTo("ev-failed");
        assertThat(generic.json().at("/data/task/errorMessage").asText()).isEqualTo("UnhandledInvocationError: boom");
        assertThat(generic.headers().get("X-signature-256"))
                .containsExactly("sha256="
                        + HexFormat.of()
                                .formatHex(
                                        hmacSha256(GENERIC_SECRET.getBytes(StandardCharsets.UTF_8), generic.body())));

        Received ding = at("dingtalk").get(0);
        Map<String, String> query = query(ding.query());
        assertThat(query).containsEntry("access_token", "test-token");
        String expected = Base64.getEncoder()
                .encodeToString(hmacSha256(
                        DING_SECRET.getBytes(StandardCharsets.UTF_8), query.get("timestamp") + "\n" + DING_SECRET));
        assertThat(query.get("sign")).isEqualTo(expected);
        assertThat(Long.parseLong(query.get("timestamp"))).as("milliseconds").isGreaterThan(1_700_000_000_000L);
        assertThat(ding.json().path("msgtype").asText()).isEqualTo("markdown");
        assertThat(ding.json().at("/markdown/title").asText()).isEqualTo("FAILED: prod/orders");
        assertThat(ding.json().at("/markdown/text").asText())
                .contains("task-ev-failed")
                .contains("UnhandledInvocationError: boom")
                .contains("after 42 s");

        JsonNode feishu = at("feishu").get(0).json();
        String ts = feishu.path("timestamp").asText();
        assertThat(Long.parseLong(ts)).as("seconds").isBetween(1_700_000_000L, 9_999_999_999L);
        assertThat(feishu.path("sign").asText())
                .isEqualTo(Base64.getEncoder()
                        .encodeToString(hmacSha256((ts + "\n" + FEISHU_SECRET).getBytes(StandardCharsets.UTF_8), "")));
        assertThat(feishu.path("msg_type").asText()).isEqualTo("text");
        assertThat(feishu.at("/content/text").asText())
                .startsWith("FAILED: prod/orders")
                .contains("task-ev-failed");

        JsonNode wecom = at("wecom").get(0).json();
        assertThat(wecom.path("msgtype").asText()).isEqualTo("markdown");
        assertThat(wecom.at("/markdown/content").asText())
                .contains("FAILED: prod/orders")
                .contains("task-ev-failed");

        JsonNode slack = at("slack").get(0).json();
        assertThat(slack.path("text").asText())
                .startsWith("*FAILED: prod/orders*")
                .contains("task-ev-failed");
        assertThat(registry.scrape())
                .contains("asynctask_exporter_alerts_total{format=\"feishu\",outcome=\"sent\",webhook=\"feishu\"} 1.0");
    }

    @Test
    void aFailingFunctionIsRateLimitedWithOneSummaryAndAReplayedEventIsNotAlertedTwice() throws Exception {
        try (AlertDispatcher alerts =
                dispatcher(2, Duration.ofSeconds(2), hook("generic", WebhookFormat.GENERIC, null))) {
            List<StatusChange> flood = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                flood.add(change("orders-" + i, "orders", TaskStatus.FAILED));
            }
            flood.add(change("reports-1", "reports", TaskStatus.FAILED));
            alerts.accept(flood);
            // After a crash the same events come again: same ids.
            alerts.accept(List.of(
                    change("orders-1", "orders", TaskStatus.FAILED),
                    change("reports-1", "reports", TaskStatus.FAILED)));
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 4);
        }
        List<String> ids = new ArrayList<>();
        JsonNode summary = null;
        for (Received r : received) {
            JsonNode j = r.json();
            if (j.has("count")) {
                summary = j;
            } else {
                ids.add(j.path("id").asText());
            }
        }
        assertThat(ids).containsExactlyInAnyOrder("orders-1", "orders-2", "reports-1");
        assertThat(summary).as("one summary for the 4 held back").isNotNull();
        assertThat(summary.path("function").asText()).isEqualTo("prod/orders");
        assertThat(summary.path("count").asInt()).isEqualTo(4);
        assertThat(summary.at("/byStatus/FAILED").asInt()).isEqualTo(4);
        assertThat(registry.scrape())
                .contains("asynctask_exporter_alerts_held_back_total{reason=\"rate_limited\"} 4.0")
                .contains("asynctask_exporter_alerts_held_back_total{reason=\"duplicate\"} 2.0");
    }

    @Test
    void aReceiverThatFailsIsRetriedUntilItRecoversWithoutHoldingUpTheCaller() throws Exception {
        failNext.put("/generic", new AtomicInteger(2));
        failNext.put("/dingtalk", new AtomicInteger(1));
        hold = new CountDownLatch(1);
        try (AlertDispatcher alerts = dispatcher(
                100,
                Duration.ofMinutes(10),
                hook("generic", WebhookFormat.GENERIC, null),
                hook("dingtalk", WebhookFormat.DINGTALK, DING_SECRET))) {
            // The receiver does not answer at all yet: accept() still returns, with every alert queued.
            List<StatusChange> batch = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                batch.add(change("f-" + i, "orders", TaskStatus.FAILED));
            }
            alerts.accept(batch);
            assertThat(received).isEmpty();
            hold.countDown();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> at("generic").size() == 20 && at("dingtalk").size() == 20);
        }
        assertThat(at("generic").stream()
                        .map(r -> {
                            try {
                                return r.json().path("id").asText();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        })
                        .toList())
                .as("in order, none lost")
                .containsExactly(batch20());
        String scrape = registry.scrape();
        assertThat(scrape)
                .contains("format=\"generic\",outcome=\"failed_attempt\",webhook=\"generic\"} 2.0")
                .contains("format=\"dingtalk\",outcome=\"failed_attempt\",webhook=\"dingtalk\"} 1.0")
                .contains("format=\"generic\",outcome=\"sent\",webhook=\"generic\"} 20.0");
    }

    private static String[] batch20() {
        String[] ids = new String[20];
        for (int i = 0; i < 20; i++) {
            ids[i] = "f-" + (i + 1);
        }
        return ids;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * HMAC-SHA256 by the JDK, not by the product's own {@code Digests}: the expected signatures must not
     * come from the code under test.
     */
    private static byte[] hmacSha256(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
