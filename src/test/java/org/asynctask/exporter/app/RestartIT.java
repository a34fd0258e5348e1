package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.checkpoint.FileCheckpointStore;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.ForwardingCheckpointStore;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TruthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping and crashing in the middle of a scan loses nothing, and replays keep their event ids. */
class RestartIT {
    /** A large backlog before the exporter starts: its first scan takes many pages. */
    static final SimProfile BACKLOG = new SimProfile(11, 60, Duration.ofMillis(300), Duration.ofSeconds(3), 0.1);

    static final Map<String, String> SMALL_PAGES = Map.of(
            "interval", "300ms",
            "page-size", "3",
            "max-pages-per-poll", "2",
            "safety-lag", "300ms",
            "rescan-window", "1s",
            "old-task-check-interval", "3s",
            "initial-lookback", "3h");

    /** Tasks slow enough that a replay a second later mostly finds them in the same status: real repeats. */
    static final SimProfile SLOW = new SimProfile(13, 10, Duration.ofSeconds(3), Duration.ofSeconds(6), 0.1);

    @TempDir
    Path dir;

    @Test
    void resumesAMultiPageScanFromItsSavedPageTokenAfterAStop() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, BACKLOG, Clock.systemUTC())) {
            ExporterConfig config = runAndStopMidScan(sim);
            long beforeRestart =
                    PublishedEvents.read(TestExporter.eventsDir(sim)).events().size();

            sim.engine().stopArrivals();
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                TestExporter.awaitAllFinalStatuses(sim);
            }
            GroundTruth truth = GroundTruth.read(sim.transitions());
            PublishedEvents published = PublishedEvents.readAfterStop(TestExporter.eventsDir(sim));
            assertThat(published.events().size()).isGreaterThan((int) beforeRestart);
            // A backlog read page by page: what the tasks did meanwhile is read after the fact.
            TruthCheck.afterTheFact().check(truth, published);
            // A clean stop commits every page it published: nothing is replayed.
            Checks.noDuplicateIds(published);
        }
    }

    @Test
    void restartsTheWindowWhenTheSavedPageTokenHasExpired() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, BACKLOG, Clock.systemUTC())) {
            ExporterConfig config = runAndStopMidScan(sim);
            sim.expirePageTokens();
            sim.engine().stopArrivals();
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                TestExporter.awaitAllFinalStatuses(sim);
                assertThat(app.stats().failedPolls.get())
                        .as("a refused token restarts the scan, it does not fail the poll")
                        .isZero();
            }
            GroundTruth truth = GroundTruth.read(sim.transitions());
            PublishedEvents published = PublishedEvents.readAfterStop(TestExporter.eventsDir(sim));
            TruthCheck.afterTheFact().check(truth, published);
            Checks.noDuplicateIds(published);
        }
    }

    @Test
    void aCrashBetweenPublishingAndSavingReplaysTheSameEvents() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, SLOW, Clock.systemUTC())) {
            ExporterConfig config = TestExporter.config(sim, TestExporter.FAST_POLLING);
            // Every 7th checkpoint save "crashes": the page's events are already written, its checkpoint is not.
            AtomicInteger crashes = new AtomicInteger();
            long started;
            try (ExporterApp app =
                    new ExporterApp(config, Clock.systemUTC(), store -> new CrashingStore(store, 7, crashes))) {
                app.start();
                started = System.currentTimeMillis();
                Thread.sleep(5_000);
                sim.engine().stopArrivals();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                TestExporter.awaitAllFinalStatuses(sim);
                assertThat(crashes.get()).isPositive();
            }
            GroundTruth truth = GroundTruth.read(sim.transitions());
            PublishedEvents published = PublishedEvents.readAfterStop(TestExporter.eventsDir(sim));
            int repeats = Checks.repeatsAreIdentical(published);
            assertThat(repeats)
                    .as("the crashes made the exporter publish some events again")
                    .isPositive();
            // A failed save fails its poll, which is retried after a back-off: a poll may come a second late.
            TruthCheck.polledEvery(Duration.ofSeconds(1)).runningFrom(started).check(truth, published);
        }
    }

    /** Lets a backlog build up, starts the exporter and stops it (cleanly) while its first scans are mid-way. */
    private static ExporterConfig runAndStopMidScan(SimulatorServer sim) throws Exception {
        Thread.sleep(3_000);
        ExporterConfig config = TestExporter.config(sim, SMALL_PAGES);
        try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
            app.start();
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> PublishedEvents.read(TestExporter.eventsDir(sim))
                                    .events()
                                    .size()
                            > 30);
        }
        assertThat(savedPageTokens(config))
                .as("stopped while scans were mid-way (page token saved)")
                .isPositive();
        return config;
    }

    /** Read as the exporter reads its checkpoints: the snapshots with the saves logged since. */
    private static long savedPageTokens(ExporterConfig config) {
        try (FileCheckpointStore store = FileCheckpointStore.readOnly(config.checkpointDir())) {
            return store.loadAll().values().stream()
                    .filter(c -> c.scan() != null && c.scan().pageToken() != null)
                    .count();
        }
    }

    /** Fails every n-th save, as a crash right after the sink confirmed would. */
    static final class CrashingStore extends ForwardingCheckpointStore {
        final int every;
        final AtomicInteger saves = new AtomicInteger();
        final AtomicInteger crashes;

        CrashingStore(CheckpointStore delegate, int every, AtomicInteger crashes) {
            super(delegate);
            this.every = every;
            this.crashes = crashes;
        }

        @Override
        public void save(PartitionKey partition, Checkpoint checkpoint) {
            if (saves.incrementAndGet() % every == 0) {
                crashes.incrementAndGet();
                throw new IllegalStateException("simulated crash before the checkpoint was saved");
            }
            delegate.save(partition, checkpoint);
        }
    }
}
