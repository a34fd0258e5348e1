package org.asynctask.exporter.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.junit.jupiter.api.Test;

class ChangeDetectorTest {
    private final Fc3Provider fc3 = new Fc3Provider();
    private final ChangeDetector detector = new ChangeDetector(fc3.statuses()::normalize);

    private Task task(String raw, Instant statusTime, Instant endedAt) {
        return Task.builder().location("alibaba-fc3", "s", "123", "cn-hangzhou", null, "f", "prod").taskId("t1")
                .status(fc3.statuses().normalize(raw), raw).startedAt(Instant.ofEpochMilli(1000))
                .statusTime(statusTime).endedAt(endedAt).build();
    }

    @Test
    void firstSightingIsAChangeFromNothing() {
        StatusChange c = detector.detect(task("Enqueued", null, null), null);
        assertThat(c.previousStatus()).isNull();
        assertThat(c.time()).as("no status time: the start time").isEqualTo(Instant.ofEpochMilli(1000));
    }

    @Test
    void rawStatusMovesAreChangesEvenWhenTheNormalizedStatusStays() {
        StatusChange c = detector.detect(task("Dequeued", null, null), new TrackedTask("Enqueued", 1000, false));
        assertThat(c).isNotNull();
        assertThat(c.previousStatus()).isEqualTo(TaskStatus.QUEUED);
        assertThat(c.task().status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(detector.detect(task("Dequeued", null, null), new TrackedTask("Dequeued", 1000, false))).isNull();
    }

    @Test
    void eventTimeIsTheProvidersStatusTimeElseTheEndOfAFinalStatus() {
        assertThat(detector.detect(task("Running", Instant.ofEpochMilli(5000), null), null).time()).isEqualTo(Instant.ofEpochMilli(5000));
        assertThat(detector.detect(task("Succeeded", null, Instant.ofEpochMilli(9000)), null).time()).isEqualTo(Instant.ofEpochMilli(9000));
    }

    @Test
    void eventIdsDependOnWhatHappenedNotOnWhenItWasSeen() {
        String a = detector.detect(task("Running", Instant.ofEpochMilli(5000), null), null).eventId();
        String replay = detector.detect(task("Running", Instant.ofEpochMilli(5000), null), new TrackedTask("Enqueued", 1000, false)).eventId();
        String runningAgain = detector.detect(task("Running", Instant.ofEpochMilli(8000), null), null).eventId();
        assertThat(replay).isEqualTo(a);
        assertThat(runningAgain).as("a later return to Running is another event").isNotEqualTo(a);
        assertThat(a).hasSize(32).matches("[0-9a-f]+");
    }

    @Test
    void taskKeyIgnoresTheQualifier() {
        Task t = task("Running", null, null);
        assertThat(t.taskKey()).isEqualTo("alibaba-fc3/123/cn-hangzhou/-/f/t1");
    }
}
