package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.metrics.PartitionState;
import org.asynctask.exporter.poll.Poller;
import org.asynctask.exporter.simulator.FaultKind;
import org.asynctask.exporter.simulator.Faults;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What the exporter says when it starts and stops: "stopped cleanly" only when it is true, trouble at once. */
class StopMessagesIT {
    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<Logger> loggers = List.of(
            (Logger) LoggerFactory.getLogger(ExporterApp.class), (Logger) LoggerFactory.getLogger(Poller.class));

    @BeforeEach
    void capture() {
        log.start();
        loggers.forEach(l -> {
            l.addAppender(log);
            // The tests' logback configuration is quiet; these lines are what the tests are about.
            l.setLevel(Level.INFO);
        });
    }

    @AfterEach
    void release() {
        loggers.forEach(l -> {
            l.detachAppender(log);
            l.setLevel(null);
        });
    }

    private List<String> lines() {
        return List.copyOf(log.list).stream()
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void aFailedStartDoesNotSayStoppedCleanly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0);
                SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            ExporterConfig config = TestExporter.config(
                    sim, Map.of(), Map.of("exporter.metrics.port", Integer.toString(taken.getLocalPort())));
            ExporterApp app = new ExporterApp(config, Clock.systemUTC());
            try (app) {
                assertThatThrownBy(app::start)
                        .hasMessageContaining("exporter.metrics.port")
                        .hasMessageContaining(":" + taken.getLocalPort());
            }
            assertThat(lines())
                    .as("what the exporter logged")
                    .noneMatch(l -> l.contains("stopped cleanly"))
                    .anyMatch(l -> l.contains("the start failed, nothing was polled"));
        }
    }

    @Test
    void aStopCutShortByTheShutdownTimeoutSaysSo() throws Exception {
        // Every answer takes 5 s (within a 30 s response timeout); Camel waits 1 s for the polls in flight.
        try (SimulatorServer sim = SimulatorServer.start(
                0,
                dir,
                TestExporter.BUSY,
                Clock.systemUTC(),
                Faults.only(FaultKind.SLOW, 1.0, Duration.ofSeconds(5), 1))) {
            ExporterConfig config = TestExporter.config(sim, Map.of(), Map.of("camel.main.shutdown-timeout", "1"));
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> app.partitionStates().stream().anyMatch(PartitionState::polling));
            }
            assertThat(lines())
                    .noneMatch(l -> l.contains("stopped cleanly"))
                    .anyMatch(l -> l.startsWith(
                            "stopped by force after the shutdown timeout (1 s): polls still in flight were cut short"));
        }
    }

    @Test
    void anUnreachableBrokerIsNamedWithinSecondsAndDoesNotHoldTheStop() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            ExporterConfig config = TestExporter.config(
                    sim,
                    Map.of(),
                    Map.of("exporter.sink", "kafka", "exporter.kafka.bootstrap-servers", "127.0.0.1:" + closedPort));
            ExporterApp app = new ExporterApp(config, Clock.systemUTC());
            long stopNanos;
            try (app) {
                app.start();
                // The delivery timeout (30 s by default) is how long a poll waited before it said anything.
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> lines().stream()
                                .anyMatch(l -> l.contains("poll failed")
                                        && l.contains(
                                                "Kafka at 127.0.0.1:" + closedPort + " does not answer within 3 s")));
                stopNanos = System.nanoTime();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - stopNanos))
                    .as("a stop does not wait out the delivery timeout of the polls in flight")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(lines()).anyMatch(l -> l.startsWith("stopped cleanly: 0 event(s)"));
        }
    }
}
