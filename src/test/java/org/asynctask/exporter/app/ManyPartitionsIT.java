package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.fc2.Fc2Provider;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.provider.huawei.FunctionGraphProvider;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.Faults;
import org.asynctask.exporter.simulator.FunctionSim;
import org.asynctask.exporter.simulator.SimPopulation;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TruthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More partitions than any queue of the pipeline holds (3,000: 750 functions of each provider, in 12
 * sources): every one of them is polled and publishes its task. A hand-off that does not fit must wait
 * for a later tick, never be dropped.
 */
class ManyPartitionsIT {
    private static final int PER_PROVIDER = 750;
    private static final List<String> PROVIDERS =
            List.of(Fc3Provider.ID, Fc2Provider.ID, FunctionGraphProvider.ID, ScfProvider.ID);

    @TempDir
    Path dir;

    @Test
    void everyPartitionPublishesItsTasks() throws Exception {
        // No arrivals of their own: each function gets exactly one short task, right at the start.
        SimProfile oneTaskEach = new SimProfile(3, 0, Duration.ofMillis(500), Duration.ofMillis(500), 0);
        try (SimulatorServer sim = SimulatorServer.start(
                0, dir, oneTaskEach, Clock.systemUTC(), Faults.none(), SimPopulation.functions(PER_PROVIDER))) {
            Set<String> functions = new TreeSet<>();
            for (String provider : PROVIDERS) {
                for (FunctionSim f : sim.engine().functions(provider)) {
                    sim.engine().arriveNow(f);
                    functions.add(provider + " " + (f.namespace() == null ? "" : f.namespace() + "/") + f.name());
                }
            }
            sim.engine().stopArrivals();
            assertThat(functions).hasSize(4 * PER_PROVIDER);
            ExporterConfig config = TestExporter.config(sim, Map.of("interval", "2s"));
            assertThat(PollTargets.of(config)).hasSize(4 * PER_PROVIDER);
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                TestExporter.awaitAllFinalStatuses(sim, Duration.ofSeconds(120));
            }
            PublishedEvents published = PublishedEvents.readAfterStop(TestExporter.eventsDir(sim));
            Set<String> publishing = new HashSet<>();
            published
                    .events()
                    .forEach(e ->
                            publishing.add(e.json().at("/data/task/provider").asText() + " "
                                    + e.json().at("/source").asText().replaceFirst("^/[^/]+/[^/]+/[^/]+/", "")));
            assertThat(new TreeSet<>(functions))
                    .as("functions that published their task")
                    .isEqualTo(new TreeSet<>(publishing));
            GroundTruth truth = GroundTruth.read(sim.transitions());
            assertThat(truth.statusesByTask()).hasSize(4 * PER_PROVIDER);
            // Each task lasts 500 ms, a quarter of the interval: only its final status (and FC history) must be seen.
            TruthCheck.afterTheFact().check(truth, published);
            Checks.noDuplicateIds(published);
        }
    }
}
