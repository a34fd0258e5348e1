package org.asynctask.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asynctask.exporter.testing.ExporterProcess;
import org.asynctask.exporter.testing.PublishedEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A demo in a terminal: its metrics URL printed, and Ctrl-C ends it as `run` ends, with its summary. */
class DemoStopIT {
    private static final Pattern METRICS = Pattern.compile("demo: metrics on http://localhost:(\\d+)/metrics");
    private static final Pattern SUMMARY = Pattern.compile("demo: done\\. (\\d+) events written to ");

    @TempDir
    Path dir;

    @Test
    void ctrlCStopsTheDemoCleanlyWithItsSummaryAndTheMetricsUrlItReallyUses() throws Exception {
        // The default metrics port taken, by this test or by whatever already holds it: the demo must not fail.
        try (ServerSocket held = holdIfFree(9876);
                ExporterProcess demo = ExporterProcess.demo(dir)) {
            demo.awaitOrExplain(
                    Duration.ofSeconds(60),
                    () -> log().contains("demo: metrics on")
                            && Files.isDirectory(dir.resolve("data/events"))
                            && PublishedEvents.read(dir.resolve("data/events"))
                                            .events()
                                            .size()
                                    > 10);
            Matcher metrics = METRICS.matcher(log());
            assertThat(metrics.find()).as(log()).isTrue();
            assertThat(Integer.parseInt(metrics.group(1)))
                    .as("9876 is taken: the port it listens on instead")
                    .isNotEqualTo(9876);

            demo.interrupt();
            Integer exit = demo.awaitExit(Duration.ofSeconds(30));

            assertThat(exit)
                    .as("stopped by SIGINT after its shutdown hooks ran (128 + 2), as `run` is; log:%n%s", log())
                    .isEqualTo(130);
            assertThat(log()).contains("stopped cleanly: ");
            Matcher summary = SUMMARY.matcher(log());
            assertThat(summary.find())
                    .as("the summary, after the stop: %n%s", log())
                    .isTrue();
            assertThat(Long.parseLong(summary.group(1)))
                    .as("it counts what was written")
                    .isEqualTo(PublishedEvents.readAfterStop(dir.resolve("data/events"))
                            .events()
                            .size());
        }
    }

    private String log() {
        return ExporterProcess.log(dir);
    }

    /** @return the bound socket, or null when the port is taken already */
    private static ServerSocket holdIfFree(int port) {
        try {
            return new ServerSocket(port);
        } catch (IOException taken) {
            return null;
        }
    }
}
