package org.asynctask.exporter.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.asynctask.exporter.secret.Redaction;

/**
 * The layout of the product's log ({@link LogSetup}): the pattern, or with {@code format} = {@code json} one JSON object
 * per line ({@link JsonRedactingLayout}). Either way every credential value is masked in the finished
 * line, stack traces included: a second line of defence, the exporter's own messages never contain them.
 */
public final class RedactingLayout extends PatternLayout {
    private final JsonRedactingLayout json = new JsonRedactingLayout();
    private boolean jsonFormat;

    /** {@code text} (default) or {@code json}. */
    public void setFormat(String format) {
        jsonFormat = format != null && format.trim().equalsIgnoreCase("json");
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        return jsonFormat ? json.doLayout(event) : Redaction.scrub(super.doLayout(event));
    }
}
