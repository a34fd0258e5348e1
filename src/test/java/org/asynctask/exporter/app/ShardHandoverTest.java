package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.asynctask.exporter.config.RetryPolicy;
import org.asynctask.exporter.kafka.GroupSettings;
import org.asynctask.exporter.metrics.ExporterMetrics;
import org.asynctask.exporter.poll.PollScheduler;
import org.asynctask.exporter.poll.PollTarget;
import org.asynctask.exporter.poll.RequestRateLimiter;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.testing.MutableClock;
import org.asynctask.exporter.testing.RateLimits;
import org.asynctask.exporter.testing.TestSources;
import org.junit.jupiter.api.Test;

class ShardHandoverTest {
    private static final int PER_SECOND = 20;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final PollTarget a = TestSources.target("test", "a", Duration.ofSeconds(30));
    private final PollTarget b = TestSources.target("test", "b", Duration.ofSeconds(30));
    private final PollScheduler scheduler =
            new PollScheduler(List.of(a, b), clock, new RetryPolicy(Duration.ofMinutes(5), 3, Duration.ofSeconds(30)));
    private final RequestRateLimiter limiter = new RequestRateLimiter();
    /** One shard: a hand-over moves every partition. */
    private final ShardHandover handover = new ShardHandover(
            new GroupSettings("g", 1, GroupSettings.DEFAULT_SESSION_TIMEOUT),
            scheduler,
            ShardHandoverTest::noPollerState,
            new ExporterMetrics(new SimpleMeterRegistry(), clock),
            limiter);

    /**
     * The polls in flight when a shard is handed over still have their pages to fetch, and the new owner polls
     * nothing of it until this member lets go: they keep this member's share of the account's limit until they
     * are done. (They once ran at the one request a second left to a member without partitions, and held the
     * rebalance, and with it every moved partition, for ~10 s in GroupIT's rolling restart.)
     */
    @Test
    void pollsInFlightAtAHandOverKeepTheirShareOfTheRateLimitUntilTheyAreDone() throws Exception {
        scheduler.pollOnly(handover.owned());
        handover.assigned(Set.of(0));
        assertThat(scheduler.due()).containsExactly(a, b);
        String account = a.source().rateLimitKey();

        Thread revoking = new Thread(() -> handover.revoking(Set.of(0)));
        revoking.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> revoking.getState() == Thread.State.TIMED_WAITING);
        assertThat(freeNow(account)).as("while its polls drain").isEqualTo(PER_SECOND);

        scheduler.succeeded(a, false);
        scheduler.succeeded(b, false);
        revoking.join(10_000);
        assertThat(revoking.isAlive()).isFalse();
        Thread.sleep(1_300); // the limiter's window (1.2 s), on the real clock, lets the 20 above go
        assertThat(freeNow(account))
                .as("handed over: one request a second, for discovery")
                .isEqualTo(1);
        assertThat(scheduler.due()).isEmpty();
    }

    private static void noPollerState(Predicate<PartitionKey> moved) {}

    private int freeNow(String key) throws InterruptedException {
        return RateLimits.freeNow(limiter, key, PER_SECOND);
    }
}
