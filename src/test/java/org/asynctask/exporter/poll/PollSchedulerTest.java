package org.asynctask.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.testing.MutableClock;
import org.asynctask.exporter.testing.TestSources;
import org.junit.jupiter.api.Test;

class PollSchedulerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final PollTarget a = new PollTarget(TestSources.partition("a", null), TestSources.fc3(null, "k", "s", false), new Fc3Provider());
    private final PollTarget b = new PollTarget(TestSources.partition("b", null), TestSources.fc3(null, "k", "s", false), new Fc3Provider());
    private final PollScheduler scheduler = new PollScheduler(List.of(a, b), clock, Duration.ofMinutes(5));

    @Test
    void neverHandsOutAPartitionThatIsStillBeingPolled() {
        assertThat(scheduler.due()).containsExactly(a, b);
        assertThat(scheduler.due()).isEmpty();
        scheduler.succeeded(a, false);
        clock.advance(Duration.ofSeconds(30));
        assertThat(scheduler.due()).containsExactly(a);
    }

    @Test
    void pollsAgainAfterTheIntervalOrAtOnceWhenAScanIsUnfinished() {
        scheduler.due();
        scheduler.succeeded(a, false);
        scheduler.succeeded(b, true);
        assertThat(scheduler.due()).containsExactly(b);
        clock.advance(Duration.ofSeconds(29));
        assertThat(scheduler.due()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(scheduler.due()).containsExactly(a);
    }

    @Test
    void backsOffExponentiallyWithJitterUpToTheMaximum() {
        for (int failures = 1; failures <= 12; failures++) {
            long cap = Math.min(300_000, 1000L << (failures - 1));
            Duration d = scheduler.backoff(failures);
            assertThat(d.toMillis()).as("failure " + failures).isBetween(cap / 2, cap);
        }
    }

    @Test
    void consecutiveFailuresWithoutProgressWaitLongerButProgressStartsOver() {
        scheduler.due();
        Duration first = scheduler.failed(a, true, false);
        clock.advance(first);
        scheduler.due();
        scheduler.failed(a, true, false);
        clock.advance(Duration.ofSeconds(2));
        scheduler.due();
        Duration third = scheduler.failed(a, true, false);
        assertThat(third.toMillis()).isGreaterThanOrEqualTo(2000);
        clock.advance(third);
        scheduler.due();
        assertThat(scheduler.failed(a, true, true).toMillis()).as("made progress: back to the first step").isLessThanOrEqualTo(1000);
    }

    @Test
    void aFailureThatNeedsAFixWaitsTheMaximum() {
        scheduler.due();
        assertThat(scheduler.failed(a, false, false)).isEqualTo(Duration.ofMinutes(5));
    }
}
