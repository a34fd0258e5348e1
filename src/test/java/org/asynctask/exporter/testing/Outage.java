package org.asynctask.exporter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.asynctask.exporter.app.ExporterApp;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.simulator.SimulatorServer;

/**
 * An output directory taken away while the exporter writes: moved, and a plain file put in its place
 * (unwritable even for root, unlike a chmod); {@link #end} puts it back.
 */
public final class Outage {
    private final Path dir;
    private final Path moved;
    /** When it began, for {@link TruthCheck.Window}s. */
    public final long startedMs;

    private Outage(Path dir) throws IOException {
        this.dir = dir;
        this.moved = dir.resolveSibling(dir.getFileName() + ".moved");
        this.startedMs = System.currentTimeMillis();
        Files.move(dir, moved);
        Files.writeString(dir, "not a directory");
    }

    public static Outage of(Path dir) throws IOException {
        return new Outage(dir);
    }

    /**
     * Once every partition has failed a poll since the outage began (then no save of an earlier poll can be
     * under way), the saved checkpoints stay as they are while each partition fails two more polls.
     */
    public void assertCheckpointsHold(ExporterApp app, ExporterConfig config) throws InterruptedException {
        assertCheckpointsHold(app, config, startedMs);
    }

    /** The same for any output that stopped taking events at {@code sinceMs}. */
    public static void assertCheckpointsHold(ExporterApp app, ExporterConfig config, long sinceMs)
            throws InterruptedException {
        Await.everyPartitionFailedSince(app, sinceMs, Duration.ofSeconds(20));
        long failedBefore = app.stats().failedPolls.get();
        Map<PartitionKey, Checkpoint> frozen = TestExporter.savedCheckpoints(config);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> app.stats().failedPolls.get()
                        >= failedBefore + 2L * app.partitions().size());
        assertThat(TestExporter.savedCheckpoints(config))
                .as("no checkpoint moves while nothing can be delivered")
                .isEqualTo(frozen);
    }

    /**
     * Puts the directory back, then waits until the exporter is ready and caught up again, stops the
     * simulator's arrivals and waits for every final status in {@code events}.
     *
     * @return when it had caught up: from then on, no status may be missed
     */
    public long end(ExporterApp app, SimulatorServer sim, Path events) throws IOException {
        Files.delete(dir);
        Files.move(moved, dir);
        Readiness.awaitReady(app.metricsPort(), 200, Duration.ofSeconds(15));
        long caughtUp = Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30));
        sim.engine().stopArrivals();
        await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
        Await.allFinalStatuses(sim, events, Duration.ofSeconds(45));
        return caughtUp;
    }
}
