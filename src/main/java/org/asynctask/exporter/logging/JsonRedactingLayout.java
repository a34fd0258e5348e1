package org.asynctask.exporter.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.secret.Redaction;

/**
 * One JSON object per line ({@code LOG_FORMAT=json}), for log pipelines: time (UTC, ISO-8601), level,
 * logger, thread, message and, if any, the stack trace. Credentials are masked as in the text layout:
 * in the message and the stack trace, before they are encoded.
 */
public final class JsonRedactingLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        line.put("level", event.getLevel().toString());
        line.put("logger", event.getLoggerName());
        line.put("thread", event.getThreadName());
        line.put("message", Redaction.scrub(event.getFormattedMessage()));
        if (event.getThrowableProxy() != null) {
            line.put("exception", Redaction.scrub(ThrowableProxyUtil.asString(event.getThrowableProxy())));
        }
        try {
            return Json.MAPPER.writeValueAsString(line) + CoreConstants.LINE_SEPARATOR;
        } catch (JsonProcessingException e) {
            return "{\"level\":\"ERROR\",\"message\":\"log line could not be encoded\"}" + CoreConstants.LINE_SEPARATOR;
        }
    }
}
