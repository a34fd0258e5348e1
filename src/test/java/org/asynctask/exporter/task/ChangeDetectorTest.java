package org.asynctask.exporter.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.junit.jupiter.api.Test;

class ChangeDetectorTest {
    private final Fc3Provider fc3 = new Fc3Provider();
    private final ChangeDetector detector = new ChangeDetector(fc3.statuses()::normalize);
    private final ChangeDetector scf = new ChangeDetector(new ScfProvider().statuses()::normalize);

    /** An FC 3.0 task now in {@code raw}, with the history the provider gives. */
    private Task fc(String raw, List<HistoryEntry> history, Instant endedAt) {
        return Task.builder()
                .location("alibaba-fc3", "s", "123", "cn-hangzhou", null, "f", "prod")
                .taskId("t1")
                .requestId("r1")
                .status(fc3.statuses().normalize(raw), raw)
                .startedAt(Instant.ofEpochMilli(1000))
                .endedAt(endedAt)
                .retries(2L)
                .instanceId("c-1")
                .errorMessage(endedAt == null ? null : "boom")
                .history(history)
                .build();
    }

    /** An SCF task (no history) now in {@code raw}, started at {@code startMs}. */
    private Task scf(String id, String raw, long startMs, Instant endedAt) {
        return Task.builder()
                .location("tencent-scf", "s", "125", "ap-guangzhou", "default", "f", "$LATEST")
                .taskId(id)
                .status(new ScfProvider().statuses().normalize(raw), raw)
                .startedAt(Instant.ofEpochMilli(startMs))
                .endedAt(endedAt)
                .invokeType("A")
                .build();
    }

    private static List<HistoryEntry> history(Object... statusAndTime) {
        List<HistoryEntry> h = new ArrayList<>();
        for (int i = 0; i < statusAndTime.length; i += 2) {
            h.add(new HistoryEntry((String) statusAndTime[i], ((Number) statusAndTime[i + 1]).longValue()));
        }
        return h;
    }

    private static List<String> statuses(ChangeDetector.Detected d) {
        return d.changes().stream()
                .map(c -> c.task().providerStatus() + "@" + c.time().toEpochMilli())
                .toList();
    }

    @Test
    void everyTransitionOfTheHistoryIsPublishedInOrderDatedByTheProvider() {
        ChangeDetector.Detected d = detector.detect(
                fc("Running", history("Enqueued", 1000, "Dequeued", 1100, "Running", 1300), null), null);
        assertThat(statuses(d)).containsExactly("Enqueued@1000", "Dequeued@1100", "Running@1300");
        assertThat(d.changes())
                .extracting(StatusChange::previousProviderStatus)
                .containsExactly(null, "Enqueued", "Dequeued");
        assertThat(d.changes().get(1).previousStatus()).isEqualTo(TaskStatus.QUEUED);
        assertThat(d.tracked()).isEqualTo(new TrackedTask("Running", 1000, false, 1300));
    }

    @Test
    void onlyWhatWasNotPublishedYetAndARetryThatCameBackToRunning() {
        TrackedTask running = new TrackedTask("Running", 1000, false, 1300);
        assertThat(detector.detect(fc("Running", history("Enqueued", 1000, "Running", 1300), null), running)
                        .changes())
                .isEmpty();
        ChangeDetector.Detected d = detector.detect(
                fc("Running", history("Enqueued", 1000, "Running", 1300, "Retrying", 1500, "Running", 1700), null),
                running);
        assertThat(statuses(d))
                .as("the same raw status as published, yet two transitions later")
                .containsExactly("Retrying@1500", "Running@1700");
        assertThat(d.changes().get(1).eventId())
                .isNotEqualTo(detector.detect(fc("Running", history("Running", 1300), null), null)
                        .changes()
                        .get(0)
                        .eventId());
    }

    @Test
    void aHistoryBehindTheStatusFallsBackToThePolledStatusOnceAndConsumesItsLaterEntry() {
        ChangeDetector.Detected behind = detector.detect(
                fc("Running", history("Enqueued", 1000), null), new TrackedTask("Enqueued", 1000, false, 1000));
        assertThat(statuses(behind)).as("undated: the start time").containsExactly("Running@1000");
        assertThat(behind.tracked()).isEqualTo(new TrackedTask("Running", 1000, false, 0));
        // The history catches up: its Running is the one already published; only what follows is new.
        ChangeDetector.Detected caughtUp = detector.detect(
                fc(
                        "Succeeded",
                        history("Enqueued", 1000, "Running", 1200, "Succeeded", 1900),
                        Instant.ofEpochMilli(1900)),
                behind.tracked());
        assertThat(statuses(caughtUp)).containsExactly("Succeeded@1900");
    }

    @Test
    void aFinalStatusInTheHistoryWinsOverAPolledStatusThatSaysOtherwise() {
        // Seed 000: status Running with one event, Succeeded.
        ChangeDetector.Detected d = detector.detect(fc("Running", history("Succeeded", 1647420449721L), null), null);
        assertThat(statuses(d)).containsExactly("Succeeded@1647420449721");
        assertThat(d.tracked().terminal()).isTrue();
        assertThat(detector.detect(fc("Running", history("Succeeded", 1647420449721L), null), d.tracked())
                        .changes())
                .isEmpty();
    }

    @Test
    void withoutAHistoryThePolledStatusIsPublishedWhenItDiffersWithoutAPreviousStatus() {
        ChangeDetector.Detected first = scf.detect(scf("a", "RUNNING", 1000, null), null);
        assertThat(statuses(first)).containsExactly("RUNNING@1000");
        assertThat(first.changes().get(0).previousStatus()).isNull();
        assertThat(scf.detect(scf("a", "RUNNING", 1000, null), first.tracked()).changes())
                .isEmpty();
        ChangeDetector.Detected done =
                scf.detect(scf("a", "FINISHED", 1000, Instant.ofEpochMilli(4000)), first.tracked());
        assertThat(statuses(done)).as("a final status is dated by its end").containsExactly("FINISHED@4000");
        assertThat(done.changes().get(0).previousStatus())
                .as("no guess of the exporter's: the previous event says it")
                .isNull();
        assertThat(done.tracked()).isEqualTo(new TrackedTask("FINISHED", 1000, true, 0));
    }

    @Test
    void anEventIsThePureFunctionOfItsTransitionWhateverWasSeenOrRememberedBefore() {
        List<HistoryEntry> h = history("Enqueued", 1000, "Running", 1300, "Retrying", 1500);
        StatusChange live = detector.detect(fc("Running", history("Enqueued", 1000, "Running", 1300), null), null)
                .changes()
                .get(1);
        // The same Running published again later, by a backfill or after a reset, from a task that moved on.
        StatusChange replay =
                detector.detect(fc("Retrying", h, null), null).changes().get(1);
        assertThat(replay).isEqualTo(live);
        assertThat(live.task().retries())
                .as("what changes while a task runs is left out of earlier transitions")
                .isNull();
        assertThat(live.task().instanceId()).isNull();
        assertThat(live.task().endedAt()).isNull();
        StatusChange end = detector.detect(
                        fc("Failed", history("Enqueued", 1000, "Failed", 2000), Instant.ofEpochMilli(2000)), null)
                .changes()
                .get(1);
        assertThat(end.task().errorMessage())
                .as("how it ended, on the final event")
                .isEqualTo("boom");
        assertThat(end.task().retries()).isEqualTo(2L);
        assertThat(end.task().endedAt()).isEqualTo(Instant.ofEpochMilli(2000));
    }

    @Test
    void idsNameOneTransitionOfOneTaskIncarnation() {
        String a = scf.detect(scf("req-1", "RUNNING", 1000, null), null)
                .changes()
                .get(0)
                .eventId();
        String sameAgain = scf.detect(scf("req-1", "RUNNING", 1000, null), null)
                .changes()
                .get(0)
                .eventId();
        String reused = scf.detect(scf("req-1", "RUNNING", 5000, null), null)
                .changes()
                .get(0)
                .eventId();
        assertThat(sameAgain).isEqualTo(a);
        assertThat(reused).as("a request id reused by a task started later").isNotEqualTo(a);
        assertThat(a).hasSize(32).matches("[0-9a-f]+");
        assertThat(EventIds.of(scf("req-1", "RUNNING", 1000, null)))
                .isEqualTo(EventIds.hash("tencent-scf/125/ap-guangzhou/default/f/req-1\n1000\nRUNNING\n"));
    }

    @Test
    void taskKeyIgnoresTheQualifier() {
        assertThat(fc("Running", null, null).taskKey()).isEqualTo("alibaba-fc3/123/cn-hangzhou/-/f/t1");
    }
}
