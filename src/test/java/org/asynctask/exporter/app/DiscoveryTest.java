package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.poll.Discoverer;
import org.asynctask.exporter.simulator.SimulatedFc2;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** FC 2.0 functions appearing and disappearing while the exporter runs (the fc2-media source discovers media/*). */
class DiscoveryTest {
    @TempDir
    Path dir;

    @Test
    void pollsNewFunctionsWithoutARestartAndStopsPollingGoneOnes() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            ExporterConfig config = TestExporter.config(sim, Map.of("interval", "300ms", "discovery-interval", "1s"));
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                await().atMost(Duration.ofSeconds(20)).until(() -> polled(app).contains("media/transcode:prod"));

                sim.api(SimulatedFc2.class).addFunction("media", "thumbnail", List.of("prod"));
                sim.api(SimulatedFc2.class).addFunction("archive", "compress", List.of("LATEST"));
                await().atMost(Duration.ofSeconds(20)).until(() -> polled(app).contains("media/thumbnail:prod"));
                await().atMost(Duration.ofSeconds(20)).until(() -> published(sim, "/media/thumbnail") > 0);
                assertThat(polled(app))
                        .as("include=media/* keeps other services out")
                        .doesNotContain("archive/compress:LATEST");

                sim.api(SimulatedFc2.class).removeFunction("media", "transcode");
                await().atMost(Duration.ofSeconds(20)).until(() -> !polled(app).contains("media/transcode:prod"));
                assertThat(polled(app))
                        .as("listed functions are never touched by discovery")
                        .contains("media/thumbnail:prod", "billing/invoice");
            }
            try (Stream<Path> files = Files.list(config.checkpointDir())) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("a function no longer polled keeps its checkpoint, should it come back")
                        .anyMatch(n -> n.contains("media_transcode_prod"));
            }
        }
    }

    @Test
    void aFailedDiscoveryIsOneLineNamingTheError() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Discoverer.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            Map<String, String> raw = new HashMap<>(
                    TestExporter.raw(sim, Map.of("interval", "300ms", "discovery-interval", "1s"), Map.of()));
            raw.put("exporter.source.fc2-media.access-key-id", "LTAI-unknown-to-the-simulator");
            try (ExporterApp app = new ExporterApp(
                    ExporterConfig.parse(raw, System::getenv, Providers.catalog()), Clock.systemUTC())) {
                app.start();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> List.copyOf(log.list).stream()
                                .anyMatch(e -> e.getFormattedMessage().contains("function discovery failed")));
            }
        } finally {
            logger.detachAppender(log);
        }
        ILoggingEvent failed = List.copyOf(log.list).stream()
                .filter(e -> e.getFormattedMessage().contains("function discovery failed"))
                .findFirst()
                .orElseThrow();
        assertThat(failed.getFormattedMessage())
                .startsWith("fc2-media: function discovery failed")
                .contains("InvalidAccessKeyId")
                .doesNotContain("{}");
        assertThat(failed.getThrowableProxy())
                .as("no stack trace: the reason is in the line")
                .isNull();
    }

    /** Polled partitions as {@code namespace/function[:qualifier]}. */
    private static List<String> polled(ExporterApp app) {
        return app.partitions().stream()
                .filter(k -> k.namespace() != null)
                .map(k -> k.namespace() + "/" + k.function() + (k.qualifier() == null ? "" : ":" + k.qualifier()))
                .toList();
    }

    private static long published(SimulatorServer sim, String functionPath) {
        return PublishedEvents.read(TestExporter.eventsDir(sim)).events().stream()
                .filter(e -> e.json().get("source").asText().endsWith(functionPath))
                .count();
    }
}
