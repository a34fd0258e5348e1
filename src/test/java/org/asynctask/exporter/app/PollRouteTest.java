package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.util.function.ThrowingConsumer;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.sink.SinkException;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wired poll route (routes/poll.camel.yaml, the exporter's own beans, a simulator), advised with
 * camel-test's tools at its named steps: the checkpoint step runs only after the publish step took the
 * page, and a publish that fails is handled by the route's failure step without any checkpoint.
 */
class PollRouteTest {
    @TempDir
    Path dir;

    /**
     * Advises the poll route of a running exporter. The schedule route is paused meanwhile: otherwise it
     * keeps handing partitions to the stopping route, whose graceful stop then waited up to 14 s.
     */
    private static void advisePoll(ExporterApp app, ThrowingConsumer<AdviceWithRouteBuilder, Exception> advice)
            throws Exception {
        app.camelContext().getRouteController().stopRoute("schedule");
        AdviceWith.adviceWith(app.camelContext(), "poll", advice);
        app.camelContext().getRouteController().startRoute("schedule");
    }

    @Test
    void theCheckpointStepRunsOnlyAfterThePublishStepTookThePage() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            ExporterConfig config = TestExporter.config(sim, TestExporter.FAST_POLLING);
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                advisePoll(app, route -> {
                    route.weaveById("publish")
                            .after()
                            .setHeader("step", route.constant("published"))
                            .to("mock:steps");
                    route.weaveById("commit")
                            .after()
                            .setHeader("step", route.constant("committed"))
                            .to("mock:steps");
                });
                MockEndpoint steps = app.camelContext().getEndpoint("mock:steps", MockEndpoint.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> steps.getReceivedCounter() >= 40);

                Map<String, List<String>> byPoll = new LinkedHashMap<>();
                for (Exchange e : List.copyOf(steps.getReceivedExchanges())) {
                    byPoll.computeIfAbsent(e.getExchangeId(), id -> new ArrayList<>())
                            .add(e.getMessage().getHeader("step", String.class));
                }
                assertThat(byPoll.values())
                        .as("each poll, page by page: published, then committed, never a commit without its publish")
                        .allMatch(poll -> String.join(" ", poll).matches("(published committed ?)*(published)?"))
                        .anyMatch(poll -> poll.contains("committed"));
            }
        }
    }

    @Test
    void aPublishThatFailsGoesToTheFailureStepAndSavesNoCheckpoint() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            ExporterConfig config =
                    TestExporter.config(sim, TestExporter.FAST_POLLING, Map.of("exporter.retry.max-backoff", "1s"));
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                // Advice restarts the route: the polls in flight finish first, every later one runs advised.
                advisePoll(app, route -> {
                    route.weaveById("publish").replace().throwException(new SinkException("refused by the test", null));
                    route.weaveById("commit").after().to("mock:committed");
                });
                Map<PartitionKey, Checkpoint> before = TestExporter.savedCheckpoints(config);
                long failedBefore = app.stats().failedPolls.get();
                int partitions = app.partitions().size();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> app.stats().failedPolls.get() >= failedBefore + 2L * partitions);

                assertThat(app.camelContext()
                                .getEndpoint("mock:committed", MockEndpoint.class)
                                .getReceivedCounter())
                        .as("no poll reached the checkpoint step")
                        .isZero();
                assertThat(TestExporter.savedCheckpoints(config))
                        .as("no checkpoint moved")
                        .isEqualTo(before);
                assertThat(app.partitionStates())
                        .as("the failure step ran for every partition: each is retried, none is stuck in flight")
                        .allMatch(s -> s.lastError() != null && s.lastError().contains("refused by the test"));
            }
        }
    }
}
