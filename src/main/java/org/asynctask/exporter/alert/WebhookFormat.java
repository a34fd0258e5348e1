package org.asynctask.exporter.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.secret.Digests;

/**
 * The message formats of the webhooks we post to, with their signing and how each says it accepted a
 * message (chat services answer HTTP 200 with an error code in the body when they refuse one).
 */
public enum WebhookFormat {
    /** The CloudEvent as JSON; with a secret, {@code X-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>}. */
    GENERIC,
    /** DingTalk robot: markdown; signed with {@code timestamp} and {@code sign} in the query (HMAC-SHA256 of "ms\nsecret"). */
    DINGTALK,
    /** Feishu / Lark custom bot: text; signed with {@code timestamp} and {@code sign} in the body (HMAC key "s\nsecret"). */
    FEISHU,
    /** WeCom (WeChat Work) group robot: markdown; no signing (the key is in the URL). */
    WECOM,
    /** Slack incoming webhook: mrkdwn text; no signing (the URL is the secret). */
    SLACK;

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    public static WebhookFormat parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The signed request for one message at {@code nowMs}. */
    HttpRequest request(Webhook hook, AlertMessage m, long nowMs) {
        String url = hook.url().reveal();
        String secret =
                hook.signingSecret() == null ? null : hook.signingSecret().reveal();
        byte[] body;
        HttpRequest.Builder request =
                HttpRequest.newBuilder().timeout(TIMEOUT).header("Content-Type", "application/json; charset=utf-8");
        switch (this) {
            case GENERIC -> {
                body = m.json();
                if (secret != null) {
                    request.header(
                            "X-Signature-256",
                            "sha256="
                                    + HexFormat.of()
                                            .formatHex(Digests.hmacSha256(
                                                    secret.getBytes(StandardCharsets.UTF_8),
                                                    new String(body, StandardCharsets.UTF_8))));
                }
            }
            case DINGTALK -> {
                ObjectNode b = Json.MAPPER.createObjectNode().put("msgtype", "markdown");
                b.putObject("markdown").put("title", m.title()).put("text", m.markdown());
                body = bytes(b);
                if (secret != null) {
                    String sign = Base64.getEncoder()
                            .encodeToString(
                                    Digests.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), nowMs + "\n" + secret));
                    url += (url.contains("?") ? "&" : "?") + "timestamp=" + nowMs + "&sign="
                            + URLEncoder.encode(sign, StandardCharsets.UTF_8);
                }
            }
            case FEISHU -> {
                ObjectNode b = Json.MAPPER.createObjectNode();
                if (secret != null) {
                    long seconds = nowMs / 1000;
                    b.put("timestamp", Long.toString(seconds));
                    b.put(
                            "sign",
                            Base64.getEncoder()
                                    .encodeToString(Digests.hmacSha256(
                                            (seconds + "\n" + secret).getBytes(StandardCharsets.UTF_8), "")));
                }
                b.put("msg_type", "text").putObject("content").put("text", m.text());
                body = bytes(b);
            }
            case WECOM -> {
                ObjectNode b = Json.MAPPER.createObjectNode().put("msgtype", "markdown");
                b.putObject("markdown").put("content", m.markdown());
                body = bytes(b);
            }
            default -> body = bytes(Json.MAPPER.createObjectNode().put("text", "*" + m.title() + "*\n" + m.text()));
        }
        return request.uri(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** @return null when the service accepted the message, else why not (for the log; no URL in it) */
    String rejection(int status, String body) {
        if (status / 100 != 2) {
            return "HTTP " + status;
        }
        if (this == GENERIC || this == SLACK) {
            return null;
        }
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            return "HTTP " + status + " with an answer that is not JSON";
        }
        // DingTalk and WeCom: errcode; Feishu: code (older bots: StatusCode). 0 = accepted.
        JsonNode code = this == FEISHU
                ? (answer.has("code") ? answer.get("code") : answer.path("StatusCode"))
                : answer.path("errcode");
        if (code.isMissingNode() || code.asInt(-1) == 0) {
            return null;
        }
        return "error " + code.asText() + ": "
                + answer.path(this == FEISHU ? "msg" : "errmsg").asText();
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
