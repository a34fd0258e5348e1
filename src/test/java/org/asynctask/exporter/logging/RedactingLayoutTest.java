package org.asynctask.exporter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.secret.AccessKey;
import org.asynctask.exporter.secret.Secret;
import org.junit.jupiter.api.Test;

/** Whatever a library logs, a credential the exporter holds comes out masked, in messages and stack traces. */
class RedactingLayoutTest {
    @Test
    void masksEveryRegisteredCredentialInTheFinishedLine() {
        new AccessKey("LTAIredactionTestId", new Secret("redaction-test-secret-value"), null);
        LoggerContext context = new LoggerContext();
        RedactingLayout layout = new RedactingLayout();
        layout.setContext(context);
        layout.setPattern("%msg%n%ex");
        layout.start();
        Logger logger = context.getLogger("test");
        LoggingEvent event = new LoggingEvent(
                "test",
                logger,
                Level.DEBUG,
                "GET /x Authorization: ACS3-HMAC-SHA256 Credential=LTAIredactionTestId",
                new IllegalStateException("signed with redaction-test-secret-value"),
                null);

        String line = layout.doLayout(event);

        assertThat(line)
                .doesNotContain("LTAIredactionTestId")
                .doesNotContain("redaction-test-secret-value")
                .contains("Credential=****")
                .contains("signed with ****")
                .contains("IllegalStateException");
    }

    @Test
    void theJsonLayoutWritesOneMaskedObjectPerLine() throws Exception {
        new AccessKey("LTAIredactionJsonId", new Secret("redaction-json-secret-value"), null);
        LoggerContext context = new LoggerContext();
        JsonRedactingLayout layout = new JsonRedactingLayout();
        layout.setContext(context);
        layout.start();
        LoggingEvent event = new LoggingEvent(
                "test",
                context.getLogger("org.example.Poller"),
                Level.WARN,
                "poll failed with key LTAIredactionJsonId: \"quoted\"\nsecond line",
                new IllegalStateException("signed with redaction-json-secret-value"),
                null);

        String line = layout.doLayout(event);

        assertThat(line)
                .endsWith("\n")
                .doesNotContain("LTAIredactionJsonId")
                .doesNotContain("redaction-json-secret-value");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = Json.MAPPER.readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("WARN");
        assertThat(json.path("logger").asText()).isEqualTo("org.example.Poller");
        assertThat(json.path("message").asText()).isEqualTo("poll failed with key ****: \"quoted\"\nsecond line");
        assertThat(json.path("exception").asText()).contains("IllegalStateException: signed with ****");
        assertThat(Instant.parse(json.path("time").asText())).isEqualTo(Instant.ofEpochMilli(event.getTimeStamp()));
    }
}
