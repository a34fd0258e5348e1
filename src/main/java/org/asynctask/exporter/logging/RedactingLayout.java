package org.asynctask.exporter.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.asynctask.exporter.provider.Redaction;

/**
 * The pattern layout of {@code logback.xml}, with every credential value masked in the finished line,
 * stack traces included. A second line of defence: the exporter's own messages never contain them.
 */
public final class RedactingLayout extends PatternLayout {
    @Override
    public String doLayout(ILoggingEvent event) {
        return Redaction.scrub(super.doLayout(event));
    }
}
