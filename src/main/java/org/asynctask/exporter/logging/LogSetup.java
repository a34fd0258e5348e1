package org.asynctask.exporter.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The product's logging, set up in code rather than from a {@code logback.xml}: parsing the XML loaded
 * some 500 classes (a SAX parser, logback's configuration model) and took 0.3–0.6 s of every start.
 * Found by logback through {@code META-INF/services}. Settings, each a {@code -D} system property or an
 * environment variable of the same name:
 * <ul>
 * <li>{@code LOG_LEVEL} — the exporter's level (default INFO);</li>
 * <li>{@code CAMEL_LOG_LEVEL} — Camel's (default WARN, and INFO for its start and stop lines);</li>
 * <li>{@code KAFKA_LOG_LEVEL} — the Kafka clients' (default ERROR: they repeat connection warnings
 *     every second while a broker is down, and our own poll-failure lines already say what is wrong);</li>
 * <li>{@code LOG_FORMAT} — {@code text} (default) or {@code json}, one object per line.</li>
 * </ul>
 * Whatever the level, credentials are masked ({@link RedactingLayout}). The HTTP client's wire log is
 * always off: it would copy response bodies, task payloads included, into the log. To use a logback
 * configuration of your own instead, pass {@code -Dlogback.configurationFile=FILE}.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        RedactingLayout layout = new RedactingLayout();
        layout.setContext(context);
        layout.setPattern(PATTERN);
        layout.setFormat(setting("LOG_FORMAT", "text"));
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(context);
        out.setName("OUT");
        out.setEncoder(encoder);
        out.start();

        String camel = setting("CAMEL_LOG_LEVEL", null);
        level(context, "org.apache.camel", camel, Level.WARN);
        level(context, "org.apache.camel.impl.engine.AbstractCamelContext", camel, Level.INFO);
        level(context, "org.apache.kafka", setting("KAFKA_LOG_LEVEL", null), Level.ERROR);
        context.getLogger("org.apache.hc.client5.http.wire").setLevel(Level.OFF);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(setting("LOG_LEVEL", null), Level.INFO));
        root.addAppender(out);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static void level(LoggerContext context, String logger, String level, Level otherwise) {
        context.getLogger(logger).setLevel(Level.toLevel(level, otherwise));
    }

    /** A system property, else the environment variable of the same name, else the default. */
    private static String setting(String name, String otherwise) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? otherwise : value.trim();
    }
}
