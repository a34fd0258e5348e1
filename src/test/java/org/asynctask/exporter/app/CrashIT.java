package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.asynctask.exporter.simulator.FaultKind;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.ExporterProcess;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.SimulatorProcess;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TruthCheck;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash drill: {@code simulate} (injecting every kind of fault) and {@code run} as two processes;
 * {@code run} is SIGKILLed {@value #KILLS} times (more, until every fault kind was injected) at random moments and
 * restarted; at the end everything
 * published is compared with the simulator's ground truth. To replay or vary a run: {@code -Dcrash.seed=N},
 * {@code -Dcrash.kills=N}, {@code -Dcrash.faults=SPEC} (then the check that every kind was injected is skipped).
 */
class CrashIT {
    // Each kill lands while the exporter polls (after its first request), so 12 exercise more than 20 early ones did.
    private static final int KILLS = 12;

    /** Kept when the test fails: the exporter's log and the events tell what happened. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private static boolean everyKindInjected(SimulatorProcess sim) {
        String state = sim.control("GET", "state");
        return Arrays.stream(FaultKind.values()).allMatch(k -> state.contains("\"" + k.id() + "\""));
    }

    @Test
    void survivesRepeatedKillsWhileTheProvidersMisbehave() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        int minKills = Integer.getInteger("crash.kills", KILLS);
        Random random = new Random(seed);
        try (SimulatorProcess sim = SimulatorProcess.start(
                dir,
                "--profile",
                "fast",
                "--seed",
                Long.toString(seed % 1000),
                "--faults",
                System.getProperty(
                        "crash.faults", "all=0.36,page-token=0.15,duplicate=0.25,missing=0.25,slow-ms=1500"))) {
            Path config = TestExporter.write(
                    TestExporter.raw(
                            sim.exporterConfig(),
                            Map.of(
                                    "interval",
                                    "300ms",
                                    "page-size",
                                    "5",
                                    "safety-lag",
                                    "300ms",
                                    "rescan-window",
                                    "1s",
                                    "old-task-check-interval",
                                    "3s"),
                            Map.of(
                                    "exporter.http.response-timeout", "1s",
                                    // Files cut by size and gzipped when closed: kills must not tear or lose any of
                                    // them.
                                    "exporter.output.max-file-size", "16KB",
                                    "exporter.output.gzip", "true",
                                    "exporter.retry.max-backoff", "2s",
                                    "exporter.circuit-breaker.open-for", "1s")),
                    dir.resolve("exporter.properties"));
            Path events = dir.resolve("events");

            // At least KILLS kills, and more (up to twice as many) until every fault kind was injected.
            List<TruthCheck.Window> running = new ArrayList<>();
            int kills = 0;
            boolean allKinds = System.getProperty("crash.faults") == null;
            while (kills < minKills || allKinds && kills < 2 * minKills && !everyKindInjected(sim)) {
                kills++;
                try (ExporterProcess run = ExporterProcess.run(dir, config)) {
                    // Killed while it polls: after its first request (a JVM and Camel take 3-6 s to boot on a
                    // busy 2-core machine), then at a random moment within the next few seconds.
                    long before = sim.requests();
                    long up = run.awaitOrExplain(Duration.ofSeconds(30), () -> sim.requests() > before);
                    Thread.sleep(random.nextInt(3000));
                    assertThat(run.alive())
                            .as("the exporter is still running before kill " + kills)
                            .isTrue();
                    run.kill();
                    running.add(new TruthCheck.Window(up, System.currentTimeMillis()));
                }
            }
            sim.control("POST", "faults/clear");
            sim.control("POST", "arrivals/stop");
            // Faults (time-outs, back-off, an open circuit) can leave a function unpolled for seconds: a
            // status must come through if it lasted 6 s while an exporter ran; FC histories always, in full.
            TruthCheck judge = TruthCheck.polledEvery(Duration.ofSeconds(2)).runningIn(running);
            int exit;
            try (ExporterProcess run = ExporterProcess.run(dir, config)) {
                long before = sim.requests();
                running.add(new TruthCheck.Window(
                        run.awaitOrExplain(Duration.ofSeconds(30), () -> sim.requests() > before), Long.MAX_VALUE));
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(sim::quiet);
                try {
                    await().atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> {
                                GroundTruth truth = GroundTruth.read(sim.transitions());
                                Map<String, String> last =
                                        PublishedEvents.read(events).lastStatusByTask();
                                return truth.statusesByTask().keySet().stream()
                                        .allMatch(t -> truth.finalStatus(t).equals(last.get(t)));
                            });
                } catch (ConditionTimeoutException e) {
                    judge.check(GroundTruth.read(sim.transitions()), PublishedEvents.read(events));
                    throw e;
                }
                exit = run.stop();
            }
            String state = sim.control("GET", "state");
            GroundTruth truth = GroundTruth.read(sim.transitions());
            PublishedEvents published = PublishedEvents.readAfterStop(events);
            int repeats = Checks.repeatsAreIdentical(published);
            System.out.printf(
                    "crash drill (seed %d): %d kills, %d tasks, %d transitions, %d events published, %d repeated; "
                            + "simulator state %s%n",
                    seed,
                    kills,
                    truth.statusesByTask().size(),
                    truth.statusesByTask().values().stream()
                            .mapToInt(List::size)
                            .sum(),
                    published.events().size(),
                    repeats,
                    state);

            assertThat(exit)
                    .as("SIGTERM: a clean stop (143 = 128 + SIGTERM, the JVM's code after its hooks ran)")
                    .isIn(0, 143);
            assertThat(ExporterProcess.log(dir)).contains("stopped cleanly");
            // Every file closed and compressed at the clean stop; PublishedEvents parsed every line of them.
            try (Stream<Path> files = Files.walk(events)) {
                assertThat(files.filter(Files::isRegularFile)
                                .map(Path::toString)
                                .toList())
                        .hasSizeGreaterThan(kills)
                        .allMatch(f -> f.endsWith(".jsonl.gz"));
            }
            judge.check(truth, published);
            if (allKinds) {
                assertThat(everyKindInjected(sim))
                        .as("every fault kind was injected: " + state)
                        .isTrue();
            }
        }
    }
}
