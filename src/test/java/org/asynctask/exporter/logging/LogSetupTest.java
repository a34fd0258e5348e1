package org.asynctask.exporter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.secret.AccessKey;
import org.asynctask.exporter.secret.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The product's log set-up: its levels, its line, masked credentials, and a way out for a config of one's own. */
class LogSetupTest {
    private String ownConfig;

    @BeforeEach
    void withoutTheTestsOwnConfiguration() {
        // The test JVMs name logback-test.xml in logback.configurationFile; LogSetup defers to it.
        ownConfig = System.clearProperty("logback.configurationFile");
    }

    @AfterEach
    void restore() {
        if (ownConfig != null) {
            System.setProperty("logback.configurationFile", ownConfig);
        }
        System.clearProperty("LOG_LEVEL");
        System.clearProperty("LOG_FORMAT");
    }

    @Test
    void setsTheDocumentedLevelsAndWritesMaskedLinesToStandardOutput() {
        new AccessKey("LTAIlogSetupTestId", new Secret("log-setup-secret-value"), null);
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        ExecutionStatus status = configure(context);
        // The appender writes to standard output; its stream is swapped to read what it writes
        // (logback keeps the System.out it found first, so replacing System.out would not do).
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ((ConsoleAppender<?>) context.getLogger("ROOT").getAppender("OUT")).setOutputStream(captured);
        context.getLogger("org.asynctask.exporter.poll.Poller").info("signed with log-setup-secret-value");
        context.getLogger("org.asynctask.exporter.poll.Poller").debug("not at INFO");
        context.getLogger("org.apache.camel.impl.DefaultCamelContext").info("Camel chatter");

        assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger("ROOT").getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.apache.camel").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.camel.impl.engine.AbstractCamelContext")
                        .getLevel())
                .isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.apache.kafka").getLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger("org.apache.hc.client5.http.wire").getLevel())
                .isEqualTo(Level.OFF);
        context.stop();
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Poller - signed with \\*\\*\\*\\*\\R");
    }

    @Test
    void logLevelComesFromTheSystemPropertyOrTheEnvironment() {
        System.setProperty("LOG_LEVEL", "DEBUG");
        LoggerContext context = new LoggerContext();
        configure(context);

        assertThat(context.getLogger("ROOT").getLevel()).isEqualTo(Level.DEBUG);
        context.stop();
    }

    @Test
    void logFormatJsonWritesOneObjectPerLine() throws Exception {
        System.setProperty("LOG_FORMAT", "json");
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        configure(context);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ((ConsoleAppender<?>) context.getLogger("ROOT").getAppender("OUT")).setOutputStream(captured);
        context.getLogger("org.asynctask.exporter.poll.Poller").warn("poll failed");
        context.stop();

        JsonNode line = Json.MAPPER.readTree(captured.toString(StandardCharsets.UTF_8));
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("message").asText()).isEqualTo("poll failed");
    }

    @Test
    void aConfigurationFileOfOnesOwnTakesOver() {
        System.setProperty("logback.configurationFile", "mine.xml");
        LoggerContext context = new LoggerContext();

        assertThat(configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger("ROOT").iteratorForAppenders().hasNext()).isFalse();
        System.clearProperty("logback.configurationFile");
    }

    private static ExecutionStatus configure(LoggerContext context) {
        LogSetup setup = new LogSetup();
        setup.setContext(context);
        return setup.configure(context);
    }
}
