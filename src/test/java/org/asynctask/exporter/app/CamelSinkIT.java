package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.Outage;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TruthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exporter.sink=camel} with camel-file's appending endpoint: every status change reaches it, judged
 * against the simulator's ground truth; an endpoint that fails stops the checkpoints, says so in readiness,
 * and once it works again the exporter catches up by itself, losing nothing.
 */
class CamelSinkIT {
    @TempDir
    Path dir;

    @Test
    void everyChangeReachesTheEndpointAndAFailingOneHoldsTheCheckpoints() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, FaultInjectionIT.QUICK, Clock.systemUTC())) {
            Path endpointDir = dir.resolve("camel");
            // camel-file appends each event to one file; it reads a backslash-n in the URI as a new line.
            String uri = "file:" + endpointDir + "?fileName=events.jsonl&fileExist=Append&appendChars=\\n";
            ExporterConfig config = TestExporter.config(
                    sim,
                    TestExporter.FAST_POLLING,
                    TestExporter.scfWithinItsRateLimit(Map.of(
                            "exporter.sink", "camel",
                            "exporter.sink.uri", uri,
                            "exporter.retry.max-backoff", "2s")));
            List<TruthCheck.Window> working = new ArrayList<>();
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                long started =
                        Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> PublishedEvents.read(endpointDir).events().size() > 50);

                // The endpoint's directory replaced by a plain file: every send fails (even for root).
                Outage outage = Outage.of(endpointDir);
                working.add(new TruthCheck.Window(started, outage.startedMs));
                outage.assertCheckpointsHold(app, config);
                Readiness.Answer down = Readiness.awaitReady(app.metricsPort(), 503, Duration.ofSeconds(10));
                assertThat(down.body())
                        .contains("\"name\":\"sink\"")
                        .contains("Camel sink (file:" + endpointDir)
                        .contains("did not take event");
                working.add(new TruthCheck.Window(outage.end(app, sim, endpointDir), Long.MAX_VALUE));
            }
            PublishedEvents published = PublishedEvents.readAfterStop(endpointDir);
            TruthCheck.polledEvery(Duration.ofMillis(300))
                    .except(ScfProvider.ID, TestExporter.SCF_INTERVAL)
                    .runningIn(working)
                    .check(GroundTruth.read(sim.transitions()), published);
            Checks.noDuplicateIds(published);
            assertThat(published.events())
                    .as("each line is one event's JSON and nothing else")
                    .allMatch(e -> e.line().startsWith("{\"specversion\":\"1.0\"")
                            && e.line().endsWith("}"));
        }
    }
}
