package org.asynctask.exporter.alert;

import org.asynctask.exporter.secret.Secret;

/**
 * One webhook ({@code exporter.alert.webhook.<name>.*}). Its URL is a secret: DingTalk, WeCom, Slack and
 * Feishu put the token in it.
 *
 * @param signingSecret DingTalk and Feishu "sign" secret, or for {@code generic} the HMAC key of the
 *                      {@code X-Signature-256} header; null: unsigned
 */
public record Webhook(String name, WebhookFormat format, Secret url, Secret signingSecret) {}
