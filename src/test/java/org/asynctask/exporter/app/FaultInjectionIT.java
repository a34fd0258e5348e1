package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.fc2.Fc2Provider;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.provider.huawei.FunctionGraphProvider;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.FaultKind;
import org.asynctask.exporter.simulator.Faults;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TruthCheck;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One fault kind at a time, injected by every simulator into a busy run of all sources (3 s, and until
 * each provider got it), then cleared:
 * the scans complete, every final status is published, nothing is published twice.
 */
class FaultInjectionIT {
    private static final List<String> ALL =
            List.of(Fc3Provider.ID, Fc2Provider.ID, FunctionGraphProvider.ID, ScfProvider.ID);
    /** Offset-paged APIs have no page token that could expire. */
    private static final List<String> TOKEN_PAGED = List.of(Fc3Provider.ID, Fc2Provider.ID);

    /** Busy, short tasks, long ones of 2 s (still beyond the 1 s re-scan window): quiet soon after arrivals stop. */
    static final SimProfile QUICK = new SimProfile(7, 15, Duration.ofMillis(400), Duration.ofSeconds(2), 0.15);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(FaultKind.class)
    void everyProviderRecoversFromTheFaultWithoutLosingOrRepeatingAnything(FaultKind kind) throws Exception {
        // Wire faults hit any request; page faults only follow-up pages, so they are drawn more often.
        double rate = kind.ordinal() <= FaultKind.MALFORMED.ordinal() ? 0.2 : 0.4;
        Faults faults = Faults.only(kind, rate, Duration.ofMillis(1500), 7);
        try (SimulatorServer sim = SimulatorServer.start(0, dir, QUICK, Clock.systemUTC(), faults)) {
            Map<String, String> polling = new HashMap<>(TestExporter.FAST_POLLING);
            polling.put("page-size", "5");
            ExporterConfig config = TestExporter.config(
                    sim,
                    polling,
                    TestExporter.scfWithinItsRateLimit(Map.of(
                            "exporter.http.response-timeout", "1s",
                            "exporter.retry.max-backoff", "2s",
                            "exporter.circuit-breaker.open-for", "1s")));
            long failedPolls;
            long caughtUp;
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                // At least 3 s of faults, and until every provider got one.
                Thread.sleep(3_000);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> (kind == FaultKind.PAGE_TOKEN ? TOKEN_PAGED : ALL)
                                .stream().allMatch(provider -> faults.injected(provider, kind) > 0));
                faults.clear();
                caughtUp =
                        Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30));
                sim.engine().stopArrivals();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                TestExporter.awaitAllFinalStatuses(sim, Duration.ofSeconds(45));
                failedPolls = app.stats().failedPolls.get();
            }
            GroundTruth truth = GroundTruth.read(sim.transitions());
            PublishedEvents published = PublishedEvents.readAfterStop(TestExporter.eventsDir(sim));
            System.out.printf(
                    "fault %s: injected %s, %d failed polls, %d tasks, %d events%n",
                    kind.id(),
                    faults.report(),
                    failedPolls,
                    truth.statusesByTask().size(),
                    published.events().size());

            for (String provider : kind == FaultKind.PAGE_TOKEN ? TOKEN_PAGED : ALL) {
                assertThat(faults.injected(provider, kind))
                        .as(kind.id() + " injected into " + provider)
                        .isPositive();
            }
            // While the faults last, a function may go unpolled for seconds (time-outs, back-off, an open
            // circuit), and it then catches up: till then, only the FC histories and the final statuses must
            // all come through.
            TruthCheck.polledEvery(Duration.ofMillis(300))
                    .except(ScfProvider.ID, TestExporter.SCF_INTERVAL)
                    .runningFrom(caughtUp)
                    .check(truth, published);
            Checks.noDuplicateIds(published);
        }
    }
}
