package org.asynctask.exporter.testing;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.asynctask.exporter.app.ExporterApp;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.awaitility.core.ConditionTimeoutException;

/** Waits on what the exporter wrote, judged by the simulator's ground truth. */
public final class Await {
    private Await() {}

    /** Until every task's final status is the last one in the event files; on time-out, fails naming the missing tasks. */
    public static void allFinalStatuses(SimulatorServer sim, Path eventsDir, Duration atMost) {
        allFinalStatuses(sim, () -> PublishedEvents.read(eventsDir), atMost);
    }

    /** Until every task's final status is the last one {@code published} gives; on time-out, fails naming the missing tasks. */
    public static void allFinalStatuses(SimulatorServer sim, Supplier<PublishedEvents> published, Duration atMost) {
        allFinalStatuses(sim.transitions(), published, atMost);
    }

    /** The same for a simulator's transition log, e.g. a {@link SimulatorProcess}'s. */
    public static void allFinalStatuses(Path transitions, Supplier<PublishedEvents> published, Duration atMost) {
        try {
            await().atMost(atMost)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() ->
                            missingFinalStatuses(transitions, published.get()).isEmpty());
        } catch (ConditionTimeoutException e) {
            List<String> missing = missingFinalStatuses(transitions, published.get());
            throw new AssertionError(
                    "tasks whose final status is not the last one published (" + missing.size() + "): "
                            + missing.subList(0, Math.min(20, missing.size())),
                    e);
        }
    }

    private static List<String> missingFinalStatuses(Path transitions, PublishedEvents published) {
        GroundTruth truth = GroundTruth.read(transitions);
        Map<String, String> last = published.lastStatusByTask();
        return truth.statusesByTask().entrySet().stream()
                .filter(t -> !truth.finalStatus(t.getKey()).equals(last.get(t.getKey())))
                .map(t -> t.getKey() + " truth=" + t.getValue() + " last published=" + last.get(t.getKey()))
                .toList();
    }

    /**
     * Until every partition of the app has failed a poll since {@code sinceMs}: then no poll begun before
     * (which might still save a checkpoint) is under way.
     */
    public static void everyPartitionFailedSince(ExporterApp app, long sinceMs, Duration atMost) {
        await().atMost(atMost)
                .until(() -> app.partitionStates().stream()
                        .allMatch(p -> p.failuresInARow() > 0 && p.lastErrorMs() >= sinceMs));
    }
}
