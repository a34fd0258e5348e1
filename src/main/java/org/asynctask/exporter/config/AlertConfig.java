package org.asynctask.exporter.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.asynctask.exporter.alert.AlertSettings;
import org.asynctask.exporter.alert.Webhook;
import org.asynctask.exporter.alert.WebhookFormat;
import org.asynctask.exporter.secret.Secret;
import org.asynctask.exporter.task.TaskStatus;

/**
 * Alert keys. Global:
 * <ul>
 * <li>{@code exporter.alert.statuses} — statuses that alert (default {@code FAILED,EXPIRED,INVALID,DISCARDED}).</li>
 * <li>{@code exporter.alert.max-per-function} — alerts per function and window (default 5); the rest are summed up in
 *     one message at the end of the window.</li>
 * <li>{@code exporter.alert.window} — that window (default 10m).</li>
 * <li>{@code exporter.alert.dedup-window} — an event id is alerted once within it (default 1h).</li>
 * <li>{@code exporter.alert.give-up-after} — a failing webhook is retried with back-off this long (default 1h).</li>
 * <li>{@code exporter.alert.queue-size} — alerts waiting per webhook before new ones are dropped (default 1000).</li>
 * </ul>
 * Per webhook, {@code exporter.alert.webhook.<name>.}:
 * <ul>
 * <li>{@code format} — {@code generic}, {@code dingtalk}, {@code feishu}, {@code wecom} or {@code slack}; required.</li>
 * <li>{@code url} — required; a secret (tokens live in these URLs): {@code {{env:…}}} or {@code url-file}.</li>
 * <li>{@code secret} — optional signing secret ({@code {{env:…}}} or {@code secret-file}): DingTalk and Feishu "sign",
 *     generic {@code X-Signature-256}. WeCom and Slack have no signing.</li>
 * </ul>
 */
final class AlertConfig {
    static final String PREFIX = "exporter.alert.";
    static final String WEBHOOK_PREFIX = "exporter.alert.webhook.";

    private AlertConfig() {}

    /** @param names the webhook names found in the keys */
    static AlertSettings parse(ConfigValues v, Set<String> names) {
        List<Webhook> webhooks = new ArrayList<>();
        for (String name : names) {
            String p = WEBHOOK_PREFIX + name + ".";
            String formatText = v.required(p + "format", "generic, dingtalk, feishu, wecom or slack");
            WebhookFormat format;
            try {
                format = WebhookFormat.parse(formatText);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        p + "format", "'" + formatText + "' is not generic, dingtalk, feishu, wecom or slack");
            }
            Secret url = v.secret(p + "url", true);
            if (!url.reveal().startsWith("https://") && !url.reveal().startsWith("http://")) {
                throw new ConfigException(p + "url", "is not an http(s) URL");
            }
            Secret secret = v.secret(p + "secret", false);
            if (secret != null && (format == WebhookFormat.WECOM || format == WebhookFormat.SLACK)) {
                throw new ConfigException(p + "secret", format.id() + " webhooks have no signing; remove it");
            }
            webhooks.add(new Webhook(name, format, url, secret));
        }
        return new AlertSettings(
                statuses(v, "exporter.alert.statuses"),
                v.integer("exporter.alert.max-per-function", 5, 1, 1_000_000),
                duration(v, "exporter.alert.window", Duration.ofMinutes(10)),
                duration(v, "exporter.alert.dedup-window", Duration.ofHours(1)),
                duration(v, "exporter.alert.give-up-after", Duration.ofHours(1)),
                v.integer("exporter.alert.queue-size", 1000, 1, 1_000_000),
                webhooks);
    }

    /** A comma-separated list of normalized statuses. */
    static Set<TaskStatus> statuses(ConfigValues v, String key) {
        Set<TaskStatus> statuses = new LinkedHashSet<>();
        for (String s : v.string(key, "FAILED,EXPIRED,INVALID,DISCARDED").split(",")) {
            try {
                statuses.add(TaskStatus.valueOf(s.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        key,
                        "'" + s.trim() + "' is not a status (known: " + Arrays.toString(TaskStatus.values()) + ")");
            }
        }
        return statuses;
    }

    private static Duration duration(ConfigValues v, String key, Duration def) {
        Duration d = v.duration(key, def);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(key, "must be positive");
        }
        return d;
    }
}
