package org.asynctask.exporter.testing;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.asynctask.exporter.simulator.SimulatorServer;

/** Waits on what the exporter wrote, judged by the simulator's ground truth. */
public final class Await {
    private Await() {
    }

    /** Until every task's final status is the last one in the event files; on time-out, fails naming the missing tasks. */
    public static void allFinalStatuses(SimulatorServer sim, Path eventsDir, Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
                GroundTruth truth = GroundTruth.read(sim.transitions());
                Map<String, String> last = PublishedEvents.read(eventsDir).lastStatusByTask();
                return truth.statusesByTask().keySet().stream().allMatch(t -> truth.finalStatus(t).equals(last.get(t)));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Checks.everyFinalStatusPublished(GroundTruth.read(sim.transitions()), PublishedEvents.read(eventsDir));
            throw e;
        }
    }
}
