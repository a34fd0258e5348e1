package org.asynctask.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.CheckpointCodec;
import org.asynctask.exporter.checkpoint.ScanState;
import org.asynctask.exporter.config.CommitPolicy;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.ScanSettings;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.task.ChangeDetector;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TrackedTask;
import org.junit.jupiter.api.Test;

/** The scan / watermark / look-up rules of one poll, without Camel or HTTP. */
class PollCycleTest {
    private static final Fc3Provider FC3 = new Fc3Provider();
    private static final long NOW = 1_000_000;
    /** lag 10 s, re-scan window 60 s, max open age 1 h, 2 look-ups and 3 pages per poll. */
    private static final ScanSettings SETTINGS = settings(2, 1);

    /** {@link #SETTINGS} with other look-ups per poll and check turns. */
    private static ScanSettings settings(int lookupsPerPoll, int checkTurns) {
        return new ScanSettings(
                Duration.ofMinutes(5),
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                Duration.ofHours(1),
                lookupsPerPoll,
                3,
                checkTurns,
                true);
    }

    private static Task task(String id, String status, long startedMs) {
        return Task.builder()
                .location("alibaba-fc3", "s", "a", "r", null, "f", null)
                .taskId(id)
                .status(FC3.statuses().normalize(status), status)
                .startedAt(Instant.ofEpochMilli(startedMs))
                .build();
    }

    private static PollCycle cycle(Checkpoint checkpoint) {
        return new PollCycle(
                checkpoint, SETTINGS, 100, new ChangeDetector(FC3.statuses()::normalize), Instant.ofEpochMilli(NOW));
    }

    @Test
    void firstScanCoversWatermarkToNowAndPublishesFirstSightings() {
        PollCycle c = cycle(Checkpoint.start(NOW - 300_000));

        PageQuery q = c.nextQuery();
        assertThat(q.from()).isEqualTo(Instant.ofEpochMilli(NOW - 300_000));
        assertThat(q.to()).isEqualTo(Instant.ofEpochMilli(NOW));
        assertThat(q.pageToken()).isNull();
        List<StatusChange> changes =
                c.accept(new Page(List.of(task("a", "Running", NOW - 5000), task("b", "Succeeded", NOW - 4000)), "t2"));

        assertThat(changes).extracting(ch -> ch.task().taskId()).containsExactly("a", "b");
        assertThat(changes).allMatch(ch -> ch.previousStatus() == null);
        Checkpoint saved = c.commit();
        assertThat(saved.scan()).isEqualTo(new ScanState(NOW - 300_000, NOW, "t2"));
        assertThat(c.nextQuery().pageToken()).isEqualTo("t2");
    }

    @Test
    void tasksListedThatStartedAtOrAfterTheScansEndWaitForTheNextScan() {
        // FunctionGraph filters in whole seconds, inclusive: a window ending at 12:00:05.300 asks up to 12:00:06.
        PollCycle c = cycle(Checkpoint.start(NOW - 300_000));
        c.nextQuery();
        List<StatusChange> changes = c.accept(new Page(
                List.of(
                        task("in", "Running", NOW - 1),
                        task("at-end", "Running", NOW),
                        task("after", "Running", NOW + 700)),
                null));
        assertThat(changes).extracting(ch -> ch.task().taskId()).containsExactly("in");
        Checkpoint saved = c.commit();
        assertThat(saved.tracked()).containsOnlyKeys("in");

        PollCycle next = new PollCycle(
                saved,
                SETTINGS,
                100,
                new ChangeDetector(FC3.statuses()::normalize),
                Instant.ofEpochMilli(NOW + 20_000));
        assertThat(next.nextQuery().from()).isBeforeOrEqualTo(Instant.ofEpochMilli(NOW));
        assertThat(next.accept(new Page(
                        List.of(
                                task("in", "Running", NOW - 1),
                                task("at-end", "Running", NOW),
                                task("after", "Running", NOW + 700)),
                        null)))
                .extracting(ch -> ch.task().taskId())
                .containsExactly("at-end", "after");
    }

    @Test
    void nothingOfAPageCountsBeforeItsCommit() {
        PollCycle c = cycle(Checkpoint.start(NOW - 300_000));
        c.nextQuery();
        c.accept(new Page(List.of(task("a", "Running", NOW - 5000)), "t2"));

        Checkpoint uncommitted = c.checkpoint();
        assertThat(uncommitted.tracked()).isEmpty();
        assertThat(uncommitted.scan().pageToken()).isNull();
    }

    @Test
    void reSeenStatusIsNotPublishedAgainButAChangeIs() {
        Checkpoint cp = new Checkpoint(
                NOW - 60_000,
                null,
                Map.of(
                        "a",
                        new TrackedTask("Running", NOW - 50_000, false),
                        "b",
                        new TrackedTask("Running", NOW - 40_000, false)),
                null);
        PollCycle c = cycle(cp);
        c.nextQuery();
        List<StatusChange> changes = c.accept(
                new Page(List.of(task("a", "Running", NOW - 50_000), task("b", "Failed", NOW - 40_000)), null));

        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).task().taskId()).isEqualTo("b");
        assertThat(changes.get(0).task().providerStatus()).isEqualTo("Failed");
    }

    @Test
    void completeScanMovesWatermarkToOldestYoungOpenTaskAndForgetsFinishedOnesBelowIt() {
        PollCycle c = cycle(Checkpoint.start(NOW - 300_000));
        c.nextQuery();
        c.accept(new Page(
                List.of(
                        task("done-early", "Succeeded", NOW - 50_000),
                        task("open", "Running", NOW - 40_000),
                        task("done-late", "Succeeded", NOW - 30_000)),
                null));
        Checkpoint saved = c.commit();

        assertThat(saved.scan()).isNull();
        assertThat(saved.watermarkMs()).isEqualTo(NOW - 40_000);
        assertThat(saved.tracked()).containsOnlyKeys("open", "done-late");
        assertThat(c.hasNextRequest()).isFalse();
    }

    @Test
    void aCheckpointNamesTheTasksThatChangedSinceTheLastSaveSoAStoreCanWriteOnlyThose() {
        Checkpoint loaded = new Checkpoint(
                NOW - 300_000,
                null,
                Map.of(
                        "kept",
                        new TrackedTask("Running", NOW - 45_000, false),
                        "forgotten",
                        new TrackedTask("Succeeded", NOW - 250_000, true)),
                null);
        PollCycle c = cycle(loaded);
        c.nextQuery();
        c.accept(new Page(
                List.of(
                        task("kept", "Running", NOW - 45_000),
                        task("new", "Running", NOW - 40_000),
                        task("done", "Succeeded", NOW - 30_000)),
                null));
        Checkpoint saved = c.commit();

        assertThat(saved.unsaved())
                .as("new or changed, and forgotten below the watermark; not the unchanged one")
                .containsExactlyInAnyOrder("new", "done", "forgotten");
        c.saved();
        assertThat(c.checkpoint().unsaved()).isEmpty();
        // What a poll changed without a save is still unsaved in the next poll.
        Checkpoint carried =
                new Checkpoint(saved.watermarkMs(), null, saved.tracked(), null, 0, Set.of(), Set.of("done"));
        assertThat(cycle(carried).checkpoint().unsaved()).containsExactly("done");
    }

    @Test
    void finishedTasksJustBelowTheWatermarkAreKeptForScansThatRoundDownToSeconds() {
        PollCycle c = cycle(Checkpoint.start(NOW - 300_000));
        c.nextQuery();
        c.accept(new Page(
                List.of(
                        task("open", "Running", NOW - 40_000),
                        task("just-below", "Succeeded", NOW - 40_500),
                        task("well-below", "Succeeded", NOW - 41_001)),
                null));
        Checkpoint saved = c.commit();
        assertThat(saved.watermarkMs()).isEqualTo(NOW - 40_000);
        assertThat(saved.tracked()).containsOnlyKeys("open", "just-below");
    }

    @Test
    void withNothingOpenTheWatermarkStaysASafetyLagBehindTheScan() {
        PollCycle c = cycle(Checkpoint.start(NOW - 300_000));
        c.nextQuery();
        c.accept(new Page(List.of(task("x", "Succeeded", NOW - 1000)), null));
        assertThat(c.commit().watermarkMs()).isEqualTo(NOW - 10_000);
    }

    @Test
    void oldOpenTasksAreLookedUpByIdInsteadOfHoldingTheWindow() {
        Checkpoint cp = new Checkpoint(
                NOW - 300_000,
                null,
                Map.of(
                        "old", new TrackedTask("Running", NOW - 200_000, false),
                        "young", new TrackedTask("Running", NOW - 20_000, false)),
                null);
        PollCycle c = cycle(cp);
        c.nextQuery();
        c.accept(new Page(List.of(task("young", "Running", NOW - 20_000)), null));
        Checkpoint afterScan = c.commit();
        assertThat(afterScan.watermarkMs())
                .as("only the young open task holds the window")
                .isEqualTo(NOW - 20_000);

        PageQuery check = c.nextQuery();
        assertThat(check.status())
                .as("old open tasks are first listed by their status")
                .isEqualTo("Running");
        assertThat(check.from()).isEqualTo(Instant.ofEpochMilli(NOW - 200_000));
        assertThat(check.to()).isEqualTo(Instant.ofEpochMilli(NOW - 200_000));
        assertThat(c.accept(new Page(List.of(), null))).isEmpty();
        assertThat(c.commit()).as("a check that changed nothing needs no write").isNull();

        assertThat(c.hasNextRequest())
                .as("'old' is no longer Running: looked up")
                .isTrue();
        PageQuery lookup = c.nextQuery();
        assertThat(lookup.isLookup()).isTrue();
        assertThat(lookup.taskId()).isEqualTo("old");
        List<StatusChange> changes = c.accept(new Page(
                List.of(task("old-but-other", "Running", NOW - 1), task("old", "Succeeded", NOW - 200_000)), null));
        assertThat(changes)
                .extracting(ch -> ch.task().taskId() + ":" + ch.task().providerStatus())
                .containsExactly("old:Succeeded");
        Checkpoint afterLookup = c.commit();
        assertThat(afterLookup.tracked())
                .as("finished below the watermark: forgotten")
                .doesNotContainKey("old");
        assertThat(c.hasNextRequest()).isFalse();
    }

    @Test
    void whereTheApiListsByEndTimeTheEndsOfOldTasksAreListedOncePerPollWithoutLookUps() {
        Checkpoint cp = new Checkpoint(
                NOW - 300_000,
                null,
                Map.of(
                        "old", new TrackedTask("Running", NOW - 200_000, false),
                        "older", new TrackedTask("Running", NOW - 250_000, false)),
                null);
        PollCycle c = new PollCycle(
                cp,
                SETTINGS,
                CommitPolicy.EVERY_PAGE,
                100,
                new ChangeDetector(FC3.statuses()::normalize),
                Instant.ofEpochMilli(NOW),
                true,
                true);
        c.nextQuery();
        c.accept(new Page(List.of(), null));
        c.commit();

        PageQuery ended = c.nextQuery();
        assertThat(ended.from())
                .as("the oldest open task below the watermark")
                .isEqualTo(Instant.ofEpochMilli(NOW - 250_000));
        assertThat(ended.to())
                .as("tasks older than the re-scan window: the young are checked every poll")
                .isEqualTo(Instant.ofEpochMilli(NOW - 60_000));
        assertThat(ended.endedFrom())
                .as("a first listing: from the oldest open task's start")
                .isEqualTo(Instant.ofEpochMilli(NOW - 250_000));
        assertThat(ended.endedTo()).as("the scan's end, in whole seconds").isEqualTo(Instant.ofEpochMilli(NOW));
        List<StatusChange> changes = c.accept(new Page(
                List.of(task("old", "Succeeded", NOW - 200_000), task("long-forgotten", "Succeeded", NOW - 100_000)),
                null));
        assertThat(changes)
                .as("only tracked open tasks: one published and forgotten before does not come back")
                .extracting(ch -> ch.task().taskId() + ":" + ch.task().providerStatus())
                .containsExactly("old:Succeeded");
        Checkpoint afterEnded = c.commit();
        assertThat(afterEnded.endCursorMs())
                .as("the next listing starts where this one ended")
                .isEqualTo(NOW);

        // The status checks stay, as a safety net: "older" is still Running, and no look-up is needed.
        PageQuery check = c.nextQuery();
        assertThat(check.status()).isEqualTo("Running");
        c.accept(new Page(List.of(task("older", "Running", NOW - 250_000)), null));
        c.commit();
        assertThat(c.hasNextRequest()).as("the end was found without a look-up").isFalse();

        PollCycle next = new PollCycle(
                c.checkpoint(),
                SETTINGS,
                CommitPolicy.EVERY_PAGE,
                100,
                new ChangeDetector(FC3.statuses()::normalize),
                Instant.ofEpochMilli(NOW + 5_000),
                true,
                true);
        next.nextQuery();
        next.accept(new Page(List.of(), null));
        next.commit();
        assertThat(next.nextQuery().endedFrom()).isEqualTo(Instant.ofEpochMilli(NOW));
    }

    @Test
    void oldOpenTasksStillListedInTheirStatusCostOneCallAndNoLookup() {
        Checkpoint cp = new Checkpoint(
                NOW - 300_000,
                null,
                Map.of(
                        "old1", new TrackedTask("Running", NOW - 200_000, false),
                        "old2", new TrackedTask("Running", NOW - 150_000, false),
                        "queued", new TrackedTask("Enqueued", NOW - 120_000, false)),
                null);
        PollCycle c = cycle(cp);
        c.nextQuery();
        c.accept(new Page(List.of(), null));
        c.commit();

        PageQuery enqueued = c.nextQuery();
        assertThat(enqueued.status()).isEqualTo("Enqueued");
        c.accept(new Page(List.of(task("queued", "Enqueued", NOW - 120_000)), null));
        assertThat(c.commit()).isNull();
        PageQuery running = c.nextQuery();
        assertThat(running.status()).isEqualTo("Running");
        assertThat(running.from()).isEqualTo(Instant.ofEpochMilli(NOW - 200_000));
        assertThat(running.to()).isEqualTo(Instant.ofEpochMilli(NOW - 150_000));
        c.accept(new Page(
                List.of(task("old1", "Running", NOW - 200_000), task("old2", "Running", NOW - 150_000)), null));
        assertThat(c.commit()).isNull();
        assertThat(c.hasNextRequest()).isFalse();
        assertThat(c.report().checks).isEqualTo(2);
        assertThat(c.report().lookups).isZero();
    }

    @Test
    void tasksOpenLongerThanTheRescanWindowAreCheckedASlicePerPollInTurns() {
        ScanSettings inThreeTurns = settings(2, 3);
        Map<String, Long> older = new LinkedHashMap<>();
        older.put("o1", NOW - 200_000);
        older.put("o2", NOW - 199_000);
        older.put("o3", NOW - 199_000);
        older.put("o4", NOW - 198_000);
        older.put("o5", NOW - 197_000);
        older.put("o6", NOW - 196_000);
        Map<String, TrackedTask> tracked = new HashMap<>();
        older.forEach((id, start) -> tracked.put(id, new TrackedTask("Running", start, false)));
        // 'young' is open for less than the re-scan window, among enough finished tasks not to hold the watermark.
        List<Task> scanned = new ArrayList<>(List.of(task("young", "Running", NOW - 30_000)));
        for (int i = 0; i < 20; i++) {
            scanned.add(task("done" + i, "Succeeded", NOW - 29_000 + i * 500));
        }
        Checkpoint cp = new Checkpoint(NOW - 300_000, null, tracked, null);
        List<List<String>> checkedPerPoll = new ArrayList<>();
        for (int poll = 0; poll < 4; poll++) {
            PollCycle c = new PollCycle(
                    cp, inThreeTurns, 100, new ChangeDetector(FC3.statuses()::normalize), Instant.ofEpochMilli(NOW));
            c.nextQuery();
            c.accept(new Page(poll == 0 ? scanned : List.of(), null));
            cp = c.commit();
            List<String> checked = new ArrayList<>();
            while (c.hasNextRequest()) {
                PageQuery check = c.nextQuery();
                assertThat(check.status()).isEqualTo("Running");
                Map<String, Long> open = new TreeMap<>(older);
                open.put("young", NOW - 30_000);
                List<Task> listed = open.entrySet().stream()
                        .filter(e -> !Instant.ofEpochMilli(e.getValue()).isBefore(check.from())
                                && !Instant.ofEpochMilli(e.getValue()).isAfter(check.to()))
                        .map(e -> task(e.getKey(), "Running", e.getValue()))
                        .toList();
                listed.forEach(t -> checked.add(t.taskId()));
                c.accept(new Page(listed, null));
                Checkpoint saved = c.commit();
                assertThat(saved).as("all still running: nothing to write").isNull();
            }
            assertThat(c.report().lookups).isZero();
            cp = c.checkpoint();
            checkedPerPoll.add(checked);
        }
        assertThat(checkedPerPoll)
                .as("young on every poll; the older ones a third per poll, a slice never splitting a start time")
                .containsExactly(
                        List.of("young", "o1", "o2", "o3"),
                        List.of("young", "o4", "o5"),
                        List.of("young", "o6"),
                        List.of("young", "o1", "o2", "o3"));
    }

    @Test
    void aTaskThatEndedIsFoundByTheCheckOfItsSlice() {
        ScanSettings inTwoTurns = settings(2, 2);
        Checkpoint cp = new Checkpoint(
                NOW - 300_000,
                null,
                Map.of(
                        "a", new TrackedTask("Running", NOW - 200_000, false),
                        "b", new TrackedTask("Running", NOW - 190_000, false)),
                null,
                NOW - 200_000);
        PollCycle c = new PollCycle(
                cp, inTwoTurns, 100, new ChangeDetector(FC3.statuses()::normalize), Instant.ofEpochMilli(NOW));
        c.nextQuery();
        c.accept(new Page(List.of(), null));
        c.commit();
        PageQuery check = c.nextQuery();
        assertThat(check.from())
                .as("the turn after the cursor: b's slice")
                .isEqualTo(Instant.ofEpochMilli(NOW - 190_000));
        c.accept(new Page(List.of(), null));
        c.commit();
        PageQuery lookup = c.nextQuery();
        assertThat(lookup.taskId()).isEqualTo("b");
        List<StatusChange> changes = c.accept(new Page(List.of(task("b", "Failed", NOW - 190_000)), null));
        assertThat(changes)
                .extracting(ch -> ch.task().taskId() + ":" + ch.task().providerStatus())
                .containsExactly("b:Failed");
        assertThat(c.commit().checkCursorMs())
                .as("b was the youngest: the turns start over")
                .isZero();
    }

    @Test
    void changedTasksBeyondTheLookUpLimitAreLookedUpAtTheNextPollNotATurnLater() {
        ScanSettings inTwoTurns = settings(2, 2);
        Map<String, TrackedTask> tracked = new HashMap<>();
        for (int i = 1; i <= 6; i++) {
            tracked.put("o" + i, new TrackedTask("Running", NOW - 200_000 + i * 1000, false));
        }
        Checkpoint cp = new Checkpoint(NOW - 300_000, null, tracked, null);
        List<List<String>> lookedUp = new ArrayList<>();
        for (int poll = 0; poll < 2; poll++) {
            PollCycle c = new PollCycle(
                    cp, inTwoTurns, 100, new ChangeDetector(FC3.statuses()::normalize), Instant.ofEpochMilli(NOW));
            c.nextQuery();
            c.accept(new Page(List.of(), null));
            c.commit();
            List<String> ids = new ArrayList<>();
            while (c.hasNextRequest()) {
                PageQuery q = c.nextQuery();
                if (q.isLookup()) {
                    ids.add(q.taskId());
                    c.accept(new Page(
                            List.of(task(
                                    q.taskId(),
                                    "Succeeded",
                                    tracked.get(q.taskId()).startedAtMs())),
                            null));
                } else {
                    // o1..o3 (the first turn) have all ended; o4..o6 still run.
                    c.accept(new Page(
                            tracked.entrySet().stream()
                                    .filter(e -> e.getKey().compareTo("o4") >= 0)
                                    .map(e -> task(
                                            e.getKey(), "Running", e.getValue().startedAtMs()))
                                    .toList(),
                            null));
                }
                c.commit();
            }
            cp = c.checkpoint();
            lookedUp.add(ids);
        }
        assertThat(lookedUp)
                .as("2 look-ups per poll; o3 waits one poll, not until its turn comes again")
                .containsExactly(List.of("o1", "o2"), List.of("o3"));
    }

    @Test
    void lookUpsThatFindChangesAreCommittedTogetherNotOneWriteEach() {
        ScanSettings fiveLookups = settings(5, 1);
        Checkpoint cp = new Checkpoint(
                NOW - 300_000,
                null,
                Map.of(
                        "o1", new TrackedTask("Running", NOW - 200_000, false),
                        "o2", new TrackedTask("Running", NOW - 190_000, false),
                        "o3", new TrackedTask("Running", NOW - 180_000, false)),
                null);
        PollCycle c = new PollCycle(
                cp,
                fiveLookups,
                new CommitPolicy(100, Duration.ofHours(1)),
                100,
                new ChangeDetector(FC3.statuses()::normalize),
                Instant.ofEpochMilli(NOW),
                true,
                false);
        c.nextQuery();
        c.accept(new Page(List.of(), null));
        c.commit();
        c.nextQuery();
        c.accept(new Page(List.of(), null));
        c.commit();
        List<Checkpoint> written = new ArrayList<>();
        List<StatusChange> handedOut = new ArrayList<>();
        while (c.hasNextRequest()) {
            PageQuery q = c.nextQuery();
            handedOut.addAll(c.accept(new Page(
                    List.of(task(
                            q.taskId(), "Failed", cp.tracked().get(q.taskId()).startedAtMs())),
                    null)));
            Checkpoint saved = c.commit();
            if (saved != null) {
                written.add(saved);
            }
        }
        assertThat(handedOut).extracting(ch -> ch.task().taskId()).containsExactly("o1", "o2", "o3");
        assertThat(written).as("one write for the three").hasSize(1);
        assertThat(written.get(0).tracked())
                .as("ended well below the watermark: forgotten")
                .isEmpty();
        assertThat(written.get(0).lookupCursor()).isEqualTo("o3");
        assertThat(c.report().lookups).isEqualTo(3);
    }

    @Test
    void openTasksHoldTheWatermarkOnlyWhereTheyAreDense() {
        PollCycle c = cycle(Checkpoint.start(NOW - 55_000));
        c.nextQuery();
        List<Task> page = new ArrayList<>();
        page.add(task("long", "Running", NOW - 50_000));
        for (int i = 0; i < 30; i++) {
            page.add(task("short" + i, "Succeeded", NOW - 40_000 + i * 1000));
        }
        page.add(task("recent", "Running", NOW - 10_500));
        c.accept(new Page(page, null));
        Checkpoint saved = c.commit();
        assertThat(saved.watermarkMs())
                .as("'recent' holds it, 'long' (1 open in 32 tasks) does not")
                .isEqualTo(NOW - 10_500);
        PageQuery check = c.nextQuery();
        assertThat(check.status()).isEqualTo("Running");
        assertThat(check.from()).isEqualTo(Instant.ofEpochMilli(NOW - 50_000));
    }

    @Test
    void lookupsTakeTurnsWhenThereAreMoreThanAllowedPerPoll() {
        Checkpoint cp = new Checkpoint(
                NOW - 300_000,
                null,
                Map.of(
                        "o1", new TrackedTask("Running", NOW - 200_000, false),
                        "o2", new TrackedTask("Running", NOW - 200_000, false),
                        "o3", new TrackedTask("Running", NOW - 200_000, false)),
                "o1");
        PollCycle c = cycle(cp);
        c.nextQuery();
        c.accept(new Page(List.of(), null));
        c.commit();
        assertThat(c.nextQuery().status()).isEqualTo("Running");
        c.accept(new Page(List.of(), null));
        c.commit();
        assertThat(c.nextQuery().taskId()).isEqualTo("o2");
        c.accept(new Page(List.of(), null));
        c.commit();
        assertThat(c.nextQuery().taskId()).isEqualTo("o3");
        c.accept(new Page(List.of(), null));
        c.commit();
        assertThat(c.hasNextRequest()).isFalse();
    }

    @Test
    void tasksOpenLongerThanMaxOpenAgeAreDropped() {
        Checkpoint cp = new Checkpoint(
                NOW - 300_000,
                null,
                Map.of(
                        "ancient",
                        new TrackedTask("Running", NOW - Duration.ofHours(2).toMillis(), false)),
                null);
        PollCycle c = cycle(cp);
        c.nextQuery();
        c.accept(new Page(List.of(), null));
        assertThat(c.commit().tracked()).isEmpty();
        assertThat(c.report().dropped).containsExactly("ancient");
    }

    @Test
    void stopsAtThePageLimitAndSaysThereIsMore() {
        PollCycle c = cycle(Checkpoint.start(NOW - 300_000));
        for (int i = 0; i < 3; i++) {
            c.nextQuery();
            c.accept(new Page(List.of(task("t" + i, "Running", NOW - 100_000 + i)), "p" + (i + 1)));
            c.commit();
        }
        assertThat(c.hasNextRequest()).isFalse();
        assertThat(c.report().moreToFetch).isTrue();
        assertThat(c.checkpoint().scan().pageToken()).isEqualTo("p3");
    }

    @Test
    void aRefusedTokenRestartsTheWindowOnce() {
        Checkpoint cp =
                new Checkpoint(NOW - 300_000, new ScanState(NOW - 300_000, NOW - 1000, "stale"), Map.of(), null);
        PollCycle c = cycle(cp);
        assertThat(c.nextQuery().pageToken()).isEqualTo("stale");
        assertThat(c.restartScan()).isTrue();
        assertThat(c.commit().scan()).isEqualTo(new ScanState(NOW - 300_000, NOW - 1000, null));
        c.nextQuery();
        assertThat(c.restartScan()).as("only once per poll").isFalse();
    }

    @Test
    void aRefusedTokenOfAStatusCheckFailsThePollAndLeavesTheScanAsCommitted() {
        Checkpoint cp = new Checkpoint(
                NOW - 300_000, null, Map.of("old", new TrackedTask("Running", NOW - 200_000, false)), null);
        PollCycle c = cycle(cp);
        c.nextQuery();
        c.accept(new Page(List.of(), null));
        Checkpoint scanned = c.commit();
        c.nextQuery();
        c.accept(new Page(List.of(), "c2"));
        c.commit();
        assertThat(c.nextQuery().pageToken()).isEqualTo("c2");

        // No window to scan again: the poll fails, and the next one checks from its first page.
        assertThat(c.restartScan()).isFalse();
        assertThat(c.checkpoint()).isEqualTo(scanned);
    }

    @Test
    void watermarkNeverMovesBack() {
        Checkpoint cp = new Checkpoint(NOW - 5_000, new ScanState(NOW - 5_000, NOW, null), Map.of(), null);
        PollCycle c = cycle(cp);
        c.nextQuery();
        // A task that became visible late, started before the watermark: published, but it does not pull the window
        // back.
        c.accept(new Page(List.of(task("late", "Running", NOW - 50_000)), null));
        assertThat(c.commit().watermarkMs()).isEqualTo(NOW - 5_000);
    }

    private static PollCycle ascending(Checkpoint checkpoint) {
        return new PollCycle(
                checkpoint,
                SETTINGS,
                CommitPolicy.EVERY_PAGE,
                100,
                new ChangeDetector(FC3.statuses()::normalize),
                Instant.ofEpochMilli(NOW),
                true,
                false);
    }

    @Test
    void anAscendingScanRemembersHowFarItGotAndARefusedTokenResumesThere() throws Exception {
        PollCycle c = ascending(Checkpoint.start(NOW - 600_000));
        c.nextQuery();
        c.accept(new Page(List.of(task("a", "Succeeded", NOW - 500_000), task("b", "Running", NOW - 400_000)), "t2"));
        Checkpoint afterPage = c.commit();
        assertThat(afterPage.scan().doneBelowMs()).isEqualTo(NOW - 400_000);
        PartitionKey key = new PartitionKey("alibaba-fc3", "s", "a", "r", null, "f", null);
        assertThat(CheckpointCodec.decode(CheckpointCodec.encode(key, afterPage))
                        .scan())
                .isEqualTo(afterPage.scan());

        PollCycle resumed = ascending(afterPage);
        assertThat(resumed.nextQuery().pageToken()).isEqualTo("t2");
        assertThat(resumed.restartScan()).isTrue();
        resumed.commit();
        assertThat(resumed.checkpoint().scan().fromMs())
                .as("restarted where the committed pages ended")
                .isEqualTo(NOW - 400_000);
        assertThat(resumed.checkpoint().scan().pageToken()).isNull();
    }

    @Test
    void theStoredCheckpointLeavesOutFinishedTasksNoScanWillListAgain() {
        long nextWatermark = NOW
                - Math.max(
                        SETTINGS.safetyLag().toMillis(), SETTINGS.rescanWindow().toMillis());
        long doneBelow = nextWatermark - 10_000;
        Map<String, TrackedTask> tracked = new HashMap<>();
        tracked.put("passed-done", new TrackedTask("Succeeded", doneBelow - 1001, true));
        tracked.put("passed-open", new TrackedTask("Running", doneBelow - 1001, false));
        tracked.put("at-resume-point", new TrackedTask("Succeeded", doneBelow - 1000, true));
        Checkpoint full = new Checkpoint(0, new ScanState(0, NOW, "tok", doneBelow), tracked, null);

        Checkpoint stored = cycle(full).forStore(full);

        assertThat(stored.tracked()).containsOnlyKeys("passed-open", "at-resume-point");
        assertThat(stored.scan()).isEqualTo(full.scan());
        Checkpoint between = new Checkpoint(0, null, tracked, null);
        assertThat(cycle(between).forStore(between))
                .as("between scans: nothing to leave out")
                .isSameAs(between);
        Checkpoint noProgress = new Checkpoint(0, new ScanState(0, NOW, "tok"), tracked, null);
        assertThat(cycle(noProgress).forStore(noProgress).tracked())
                .as("newest-first API: nothing inside the window is left out")
                .containsOnlyKeys("passed-open", "at-resume-point", "passed-done");
    }

    @Test
    void aCatchUpCommitsInBatchesAndEveryCheckpointCoversOnlyWhatWasHandedOut() {
        PollCycle c = new PollCycle(
                Checkpoint.start(NOW - 300_000),
                new ScanSettings(
                        Duration.ofMinutes(5),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(60),
                        Duration.ofHours(1),
                        2,
                        100,
                        1,
                        true),
                new CommitPolicy(3, Duration.ofHours(1)),
                100,
                new ChangeDetector(FC3.statuses()::normalize),
                Instant.ofEpochMilli(NOW),
                true,
                false);

        c.nextQuery();
        assertThat(c.accept(
                        new Page(List.of(task("a", "Running", NOW - 9000), task("b", "Succeeded", NOW - 8000)), "t2")))
                .as("2 events wait: not due yet")
                .isEmpty();
        assertThat(c.commit()).isNull();
        assertThat(c.checkpoint().tracked())
                .as("nothing applied before its batch is committed")
                .isEmpty();
        assertThat(c.nextQuery().pageToken())
                .as("the next page follows the uncommitted one")
                .isEqualTo("t2");
        List<StatusChange> batch =
                c.accept(new Page(List.of(task("a", "Succeeded", NOW - 9000), task("c", "Running", NOW - 7000)), "t3"));
        assertThat(batch)
                .extracting(ch -> ch.task().taskId() + ":" + ch.task().providerStatus())
                .containsExactly("a:Running", "b:Succeeded", "a:Succeeded", "c:Running");
        assertThat(batch)
                .as("a's change is found against the uncommitted page")
                .extracting(ch -> ch.task().taskId())
                .containsOnlyOnce("c");
        Checkpoint saved = c.commit();
        assertThat(saved.scan().pageToken()).isEqualTo("t3");
        assertThat(saved.tracked()).containsOnlyKeys("a", "b", "c");
        assertThat(c.report().pages).isEqualTo(2);
        assertThat(c.report().events).isEqualTo(4);

        c.nextQuery();
        assertThat(c.accept(new Page(List.of(task("d", "Running", NOW - 6000)), null)))
                .as("the last page always commits")
                .extracting(ch -> ch.task().taskId())
                .containsExactly("d");
        assertThat(c.commit().scan()).isNull();
    }

    @Test
    void aRefusedTokenInsideABatchKeepsThePagesAcceptedBefore() {
        PollCycle c = new PollCycle(
                Checkpoint.start(NOW - 300_000),
                SETTINGS,
                new CommitPolicy(10, Duration.ofHours(1)),
                100,
                new ChangeDetector(FC3.statuses()::normalize),
                Instant.ofEpochMilli(NOW),
                true,
                false);
        c.nextQuery();
        assertThat(c.accept(new Page(List.of(task("a", "Running", NOW - 9000)), "t2")))
                .isEmpty();
        c.commit();
        c.nextQuery();
        assertThat(c.restartScan()).isTrue();
        c.commit();
        PageQuery again = c.nextQuery();
        assertThat(again.pageToken()).isNull();
        assertThat(again.from()).as("resumes after the accepted page").isEqualTo(Instant.ofEpochMilli(NOW - 9000));
        assertThat(c.accept(
                        new Page(List.of(task("a", "Running", NOW - 9000), task("b", "Running", NOW - 8000)), null)))
                .extracting(ch -> ch.task().taskId())
                .containsExactly("a", "b");
    }

    @Test
    void afterAFailedRequestThePagesAcceptedBeforeItCanStillBeCommitted() {
        PollCycle c = new PollCycle(
                Checkpoint.start(NOW - 300_000),
                SETTINGS,
                new CommitPolicy(100, Duration.ofHours(1)),
                100,
                new ChangeDetector(FC3.statuses()::normalize),
                Instant.ofEpochMilli(NOW),
                true,
                false);
        c.nextQuery();
        assertThat(c.accept(new Page(List.of(task("a", "Running", NOW - 9000)), "t2")))
                .isEmpty();
        c.commit();
        c.nextQuery();
        // ... the request for page t2 fails.
        assertThat(c.hasUncommitted()).isTrue();
        assertThat(c.salvage()).extracting(ch -> ch.task().taskId()).containsExactly("a");
        Checkpoint saved = c.commit();
        assertThat(saved.scan().pageToken()).isEqualTo("t2");
        assertThat(saved.tracked()).containsOnlyKeys("a");
        assertThat(c.hasUncommitted()).isFalse();
        assertThat(c.salvage()).isEmpty();
    }

    @Test
    void aBatchThatFallsDueAtARefusedTokenHandsItsChangesOutBeforeApplyingThem() throws Exception {
        PollCycle c = new PollCycle(
                Checkpoint.start(NOW - 300_000),
                SETTINGS,
                new CommitPolicy(100, Duration.ofMillis(50)),
                100,
                new ChangeDetector(FC3.statuses()::normalize),
                Instant.ofEpochMilli(NOW),
                true,
                false);
        c.nextQuery();
        assertThat(c.accept(new Page(List.of(task("a", "Running", NOW - 9000)), "t2")))
                .isEmpty();
        c.commit();
        c.nextQuery();
        Thread.sleep(60);
        assertThat(c.restartScan()).isTrue();
        assertThat(c.dueChanges())
                .as("published first")
                .extracting(ch -> ch.task().taskId())
                .containsExactly("a");
        Checkpoint saved = c.commit();
        assertThat(saved.tracked()).containsOnlyKeys("a");
        assertThat(saved.scan().pageToken()).isNull();
        assertThat(c.dueChanges()).isEmpty();
    }
}
