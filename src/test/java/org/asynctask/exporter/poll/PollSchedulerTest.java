package org.asynctask.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.asynctask.exporter.config.RetryPolicy;
import org.asynctask.exporter.metrics.PartitionState;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.testing.MutableClock;
import org.asynctask.exporter.testing.TestSources;
import org.junit.jupiter.api.Test;

class PollSchedulerTest {
    private static final RetryPolicy POLICY = new RetryPolicy(Duration.ofMinutes(5), 3, Duration.ofSeconds(30));
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final PollTarget a = target("test", "a");
    private final PollTarget b = target("test", "b");
    /** A partition of another source (another account). */
    private final PollTarget other = target("other", "c");

    private final PollScheduler scheduler = new PollScheduler(List.of(a, b), clock, POLICY);

    private static PollTarget target(String sourceName, String function) {
        return TestSources.target(sourceName, function, Duration.ofSeconds(30));
    }

    private static PollScheduler.Failure retriable(boolean progressed) {
        return new PollScheduler.Failure(true, progressed, null, "HTTP 503", true);
    }

    @Test
    void handsOutOnlyOwnedPartitionsAndAHandOverWaitsForTheOnesInFlight() throws Exception {
        Set<PartitionKey> owned = ConcurrentHashMap.newKeySet();
        owned.add(a.key());
        owned.add(b.key());
        scheduler.pollOnly(owned::contains);
        assertThat(scheduler.due()).containsExactly(a, b);
        // b's shard goes to another member while b is polled: no new poll, and the hand-over waits for this one.
        owned.remove(b.key());
        assertThat(scheduler.awaitNoneInFlight(b.key()::equals, Duration.ofMillis(50)))
                .isFalse();
        Thread finisher = new Thread(() -> scheduler.succeeded(b, false));
        finisher.start();
        assertThat(scheduler.awaitNoneInFlight(b.key()::equals, Duration.ofSeconds(10)))
                .isTrue();
        finisher.join();
        scheduler.succeeded(a, false);
        clock.advance(Duration.ofSeconds(30));
        assertThat(scheduler.due()).containsExactly(a);
        assertThat(scheduler.polled()).as("what this member polls now").containsExactly(a.key());
        assertThat(scheduler.states()).extracting(PartitionState::key).containsExactly(a.key());
        // Back to this member: due at once, where it was.
        owned.add(b.key());
        assertThat(scheduler.due()).containsExactly(b);
    }

    @Test
    void aMembersShareOfAnAccountsRateLimitIsTheShareOfItsPartitionsItPolls() {
        assertThat(a.source().rateLimitKey()).isEqualTo(b.source().rateLimitKey());
        assertThat(scheduler.ownedShareByRateLimitKey())
                .containsExactly(Map.entry(a.source().rateLimitKey(), 1.0));
        scheduler.pollOnly(a.key()::equals);
        assertThat(scheduler.ownedShareByRateLimitKey())
                .containsExactly(Map.entry(a.source().rateLimitKey(), 0.5));
        scheduler.pollOnly(key -> false);
        assertThat(scheduler.ownedShareByRateLimitKey())
                .containsExactly(Map.entry(a.source().rateLimitKey(), 0.0));
    }

    @Test
    void neverHandsOutAPartitionThatIsStillBeingPolled() {
        assertThat(scheduler.due()).containsExactly(a, b);
        assertThat(scheduler.due()).isEmpty();
        scheduler.succeeded(a, false);
        clock.advance(Duration.ofSeconds(30));
        assertThat(scheduler.due()).containsExactly(a);
    }

    @Test
    void handsOutNoMoreThanTheQueueHoldsLongestOverdueFirstAndLosesNone() {
        PollTarget c = target("test", "c");
        PollScheduler bounded = new PollScheduler(List.of(a, b, c), clock, POLICY, 2);
        clock.advance(Duration.ofSeconds(1));
        assertThat(bounded.due()).containsExactly(a, b);
        assertThat(bounded.due()).as("full: c waits, it is not dropped").isEmpty();
        bounded.succeeded(a, false);
        assertThat(bounded.due()).containsExactly(c);
        // b's hand-off failed (the queue refused it): b is due again at once, ahead of a, due later.
        bounded.handOffFailed(b);
        assertThat(bounded.due()).containsExactly(b);
        bounded.succeeded(b, false);
        bounded.succeeded(c, false);
        clock.advance(Duration.ofSeconds(30));
        assertThat(bounded.due())
                .as("due at the same time: in the order of the configuration")
                .containsExactly(a, b);
    }

    @Test
    void aPollPutOffByTheRateLimitIsDueOnceARequestFitsKeepsItsPlaceAndCountsNoFailure() {
        scheduler.due();
        scheduler.deferred(a, Duration.ofMillis(700));
        assertThat(scheduler.due())
                .as("b is still in flight, a waits for its limit")
                .isEmpty();
        clock.advance(Duration.ofMillis(700));
        assertThat(scheduler.due()).containsExactly(a);
        assertThat(scheduler.states())
                .filteredOn(p -> p.key().equals(a.key()))
                .singleElement()
                .satisfies(p -> assertThat(p.failuresInARow()).isZero());
        // Put off while b was polled: a is still the longer overdue of the two once its limit allows.
        scheduler.succeeded(b, false);
        scheduler.deferred(a, Duration.ofSeconds(31));
        clock.advance(Duration.ofSeconds(31));
        assertThat(scheduler.due()).containsExactly(a, b);
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
        PollScheduler single = new PollScheduler(
                List.of(a), clock, new RetryPolicy(Duration.ofMinutes(5), 100, Duration.ofSeconds(30)));
        single.due();
        Duration first = single.failed(a, retriable(false));
        clock.advance(first);
        single.due();
        single.failed(a, retriable(false));
        clock.advance(Duration.ofSeconds(2));
        single.due();
        Duration third = single.failed(a, retriable(false));
        assertThat(third.toMillis()).isGreaterThanOrEqualTo(2000);
        clock.advance(third);
        single.due();
        assertThat(single.failed(a, retriable(true)).toMillis())
                .as("made progress: back to the first step")
                .isLessThanOrEqualTo(1000);
    }

    @Test
    void honoursRetryAfterUpToTheMaximumBackoff() {
        scheduler.due();
        assertThat(scheduler.failed(a, new PollScheduler.Failure(true, false, Duration.ofSeconds(20), "429", true)))
                .isEqualTo(Duration.ofSeconds(20));
        assertThat(scheduler.failed(b, new PollScheduler.Failure(true, false, Duration.ofHours(3), "429", true)))
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aFailureThatNeedsAFixMarksThePartitionFailedAndWaitsTheMaximumUntilItWorksAgain() {
        scheduler.due();
        assertThat(scheduler.failed(a, new PollScheduler.Failure(false, false, null, "HTTP 403 AccessDenied", true)))
                .isEqualTo(Duration.ofMinutes(5));
        scheduler.succeeded(b, false);
        assertThat(scheduler.failedPartitions()).containsOnlyKeys(a.key()).containsValue("HTTP 403 AccessDenied");
        clock.advance(Duration.ofMinutes(5));
        assertThat(scheduler.due()).contains(a);
        scheduler.succeeded(a, false);
        assertThat(scheduler.failedPartitions()).isEmpty();
    }

    @Test
    void statesKeepTheLastErrorAfterRecoveryAndCountFailuresInARow() {
        scheduler.due();
        scheduler.failed(a, retriable(false));
        PartitionState failing = scheduler.states().get(0);
        assertThat(failing.key()).isEqualTo(a.key());
        assertThat(failing.failuresInARow()).isEqualTo(1);
        assertThat(failing.lastError()).isEqualTo("HTTP 503");
        assertThat(failing.lastErrorMs()).isEqualTo(clock.millis());
        assertThat(failing.needsFix()).isNull();
        assertThat(failing.polling()).isFalse();
        assertThat(scheduler.states().get(1).polling())
                .as("b was handed out and has not reported")
                .isTrue();

        clock.advance(Duration.ofMinutes(1));
        scheduler.due();
        scheduler.succeeded(a, false);
        PartitionState recovered = scheduler.states().get(0);
        assertThat(recovered.failuresInARow()).isZero();
        assertThat(recovered.lastError()).as("still shown, with its time").isEqualTo("HTTP 503");
        assertThat(recovered.lastPollMs()).isEqualTo(clock.millis());
        assertThat(scheduler.problems("test")).isNull();
    }

    @Test
    void aSourceThatKeepsFailingPausesAsAWholeThenOnePartitionTriesAndTheOtherSourcesCarryOn() {
        PollScheduler s = new PollScheduler(List.of(a, b, other), clock, POLICY);
        assertThat(s.due()).containsExactly(a, b, other);
        s.failed(a, retriable(false));
        s.failed(b, retriable(false));
        s.succeeded(other, false);
        clock.advance(Duration.ofSeconds(2));
        assertThat(s.due()).as("both back off, the shorter wait first").containsExactlyInAnyOrder(a, b);
        Duration wait = s.failed(a, retriable(false)); // the third failure in a row of source "test": circuit opens
        s.failed(b, retriable(false));
        assertThat(s.pausedSources()).containsExactly("test");
        assertThat(wait).isGreaterThanOrEqualTo(Duration.ofSeconds(29));

        clock.advance(Duration.ofSeconds(29));
        assertThat(s.due())
                .as("paused, while the other source is polled as usual")
                .containsExactly(other);
        s.succeeded(other, false);
        clock.advance(Duration.ofSeconds(2));
        List<PollTarget> trial = dueOfSourceTest(s);
        assertThat(trial).as("after the pause, one partition tries").hasSize(1);
        s.failed(trial.get(0), retriable(false));
        clock.advance(Duration.ofSeconds(31));
        assertThat(dueOfSourceTest(s))
                .as("the trial failed: the pause doubled to 60 s")
                .isEmpty();
        clock.advance(Duration.ofSeconds(30));
        List<PollTarget> second = dueOfSourceTest(s);
        assertThat(second).hasSize(1);
        s.succeeded(second.get(0), false);
        assertThat(s.pausedSources()).isEmpty();
        assertThat(dueOfSourceTest(s))
                .as("closed: the other partition is polled again")
                .hasSize(1)
                .doesNotContain(second.get(0));
    }

    /** The due partitions of source "test"; the other source's are polled successfully on the side. */
    private List<PollTarget> dueOfSourceTest(PollScheduler s) {
        List<PollTarget> due = s.due();
        if (due.contains(other)) {
            s.succeeded(other, false);
        }
        return due.stream().filter(t -> t != other).toList();
    }

    @Test
    void anOutputThatFailsDoesNotPauseTheSources() {
        PollScheduler s = new PollScheduler(List.of(a, b), clock, POLICY);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMinutes(6));
            List<PollTarget> due = s.due();
            // Past the longest back-off: both are polled (and fail) every round, the source never paused.
            assertThat(due).as("round %d", i).containsExactlyInAnyOrder(a, b);
            due.forEach(
                    t -> s.failed(t, new PollScheduler.Failure(true, false, null, "SinkException: disk full", false)));
        }
        assertThat(s.pausedSources()).isEmpty();
    }

    @Test
    void oneBrokenPartitionAmongWorkingOnesDoesNotPauseItsSource() {
        PollScheduler s = new PollScheduler(List.of(a, b), clock, POLICY);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMinutes(6));
            List<PollTarget> due = s.due();
            // Both every round (past the slow retry of a partition that needs a fix): the broken one keeps failing.
            assertThat(due).as("round %d", i).containsExactlyInAnyOrder(a, b);
            for (PollTarget t : due) {
                if (t == a) {
                    s.failed(a, new PollScheduler.Failure(false, false, null, "FunctionNotFound", true));
                } else {
                    s.succeeded(t, false);
                }
            }
        }
        assertThat(s.pausedSources()).isEmpty();
        assertThat(s.failedPartitions()).containsOnlyKeys(a.key());
    }
}
