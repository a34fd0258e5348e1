package org.asynctask.exporter.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import org.asynctask.exporter.Json;

/**
 * A provider's raw response. Header names are looked up case-insensitively. The body is kept as the bytes that
 * came: {@link #json()} parses them without first decoding a string (issue 24).
 */
public record HttpReply(int status, Map<String, String> headers, byte[] content) {
    public HttpReply(int status, Map<String, String> headers, String body) {
        this(status, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** The body as text (UTF-8), null when there was none. */
    public String body() {
        return content == null ? null : new String(content, StandardCharsets.UTF_8);
    }

    /** The body parsed as JSON; an empty or absent body is a missing node. */
    public JsonNode json() throws IOException {
        return Json.MAPPER.readTree(content == null ? new byte[0] : content);
    }

    /**
     * The {@code Retry-After} header as a wait: delay-seconds or an HTTP date (RFC 9110 §10.2.3), or null
     * when absent or unreadable.
     */
    public Duration retryAfter() {
        String v = header("Retry-After");
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(
                        Instant.now(), ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return e.getValue();
            }
        }
        return null;
    }
}
