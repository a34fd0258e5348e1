package org.asynctask.exporter.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.task.EventIds;
import org.asynctask.exporter.task.TrackedTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointStoreTest {
    @TempDir
    Path dir;

    private final PartitionKey key =
            new PartitionKey("alibaba-fc3", "main", "123", "cn-hangzhou", null, "orders", "prod");

    @Test
    void savesAndLoadsEverythingItHolds() {
        Checkpoint cp = new Checkpoint(
                42,
                new ScanState(40, 50, "tok=="),
                Map.of("a", new TrackedTask("Running", 41, false, 43), "b", new TrackedTask("Succeeded", 45, true)),
                "a",
                41);
        try (FileCheckpointStore store = new FileCheckpointStore(dir)) {
            assertThat(store.load(key)).isEmpty();
            store.save(key, cp);
        }
        try (FileCheckpointStore store = new FileCheckpointStore(dir)) {
            assertThat(store.load(key)).contains(cp);
        }
    }

    @Test
    void replacesTheFileAtomicallyLeavingNoTemporaryFile() throws Exception {
        try (FileCheckpointStore store = new FileCheckpointStore(dir)) {
            store.save(key, Checkpoint.start(1));
            store.save(key, Checkpoint.start(2));
            assertThat(store.load(key).orElseThrow().watermarkMs()).isEqualTo(2);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            ".lock",
                            "alibaba-fc3_main_123_cn-hangzhou_-_orders_prod-"
                                    + "%s.json"
                                            .formatted(EventIds.hash(key.id()).substring(0, 8)));
        }
    }

    @Test
    void refusesToStartAfreshFromAnUnreadableCheckpoint() throws Exception {
        try (FileCheckpointStore store = new FileCheckpointStore(dir)) {
            store.save(key, Checkpoint.start(1));
            Files.writeString(store.fileOf(key), "{\"version\":1,\"watermark\":");
            assertThatThrownBy(() -> store.load(key))
                    .hasMessageContaining(store.fileOf(key).toString())
                    .hasMessageContaining("move both away");
        }
    }

    @Test
    void oneDirectoryServesOneExporterAtATime() {
        try (FileCheckpointStore first = new FileCheckpointStore(dir)) {
            assertThatThrownBy(() -> new FileCheckpointStore(dir)).hasMessageContaining("held by a running exporter");
        }
        new FileCheckpointStore(dir).close();
    }

    /** A checkpoint whose tracked tasks differ from the last saved one by exactly {@code changed}. */
    private static Checkpoint changed(long watermark, Map<String, TrackedTask> tracked, String... changed) {
        return new Checkpoint(
                watermark,
                new ScanState(watermark, watermark + 10, "t" + watermark),
                tracked,
                "c" + watermark,
                watermark - 1,
                watermark - 2,
                Set.of(),
                new HashSet<>(List.of(changed)));
    }

    private static Checkpoint asLoaded(Checkpoint c) {
        return new Checkpoint(
                c.watermarkMs(),
                c.scan(),
                c.tracked(),
                c.lookupCursor(),
                c.checkCursorMs(),
                c.endCursorMs(),
                Set.of(),
                null);
    }

    @Test
    void aSaveAppendsOnlyWhatChangedAndALoadReplaysIt() throws Exception {
        Map<String, TrackedTask> tracked = new HashMap<>(
                Map.of("a", new TrackedTask("Running", 1, false), "b", new TrackedTask("Running", 2, false)));
        Checkpoint second;
        try (FileCheckpointStore store = new FileCheckpointStore(dir)) {
            store.save(key, new Checkpoint(10, null, Map.copyOf(tracked), null));
            byte[] snapshot = Files.readAllBytes(store.fileOf(key));
            tracked.put("b", new TrackedTask("Succeeded", 2, true));
            tracked.put("c", new TrackedTask("Running", 3, false, 7));
            tracked.remove("a");
            store.save(key, changed(20, Map.copyOf(tracked), "a", "b", "c"));
            tracked.put("d", new TrackedTask("Running", 4, false));
            second = changed(30, Map.copyOf(tracked), "d");
            store.save(key, second);

            assertThat(Files.readAllBytes(store.fileOf(key)))
                    .as("the snapshot is not rewritten")
                    .isEqualTo(snapshot);
            String log = Files.readString(store.logOf(key));
            assertThat(log.lines()).hasSize(3);
            assertThat(log.lines().skip(2).findFirst().orElseThrow())
                    .contains("\"d\"")
                    .doesNotContain("\"b\"")
                    .doesNotContain("\"c\"");
        }
        try (FileCheckpointStore store = new FileCheckpointStore(dir)) {
            assertThat(store.load(key)).contains(asLoaded(second));
            assertThat(store.loadAll()).containsEntry(key, asLoaded(second));
        }
    }

    @Test
    void aLineWrittenOnlyInPartIsIgnoredAndTheNextSaveWritesASnapshot() throws Exception {
        Map<String, TrackedTask> tracked = new HashMap<>(Map.of("a", new TrackedTask("Running", 1, false)));
        Checkpoint first = changed(20, Map.copyOf(tracked), "a");
        try (FileCheckpointStore store = new FileCheckpointStore(dir)) {
            store.save(key, new Checkpoint(10, null, Map.copyOf(tracked), null));
            store.save(key, first);
            tracked.put("b", new TrackedTask("Running", 2, false));
            store.save(key, changed(30, Map.copyOf(tracked), "b"));
        }
        Path log;
        try (FileCheckpointStore store = new FileCheckpointStore(dir)) {
            log = store.logOf(key);
            byte[] bytes = Files.readAllBytes(log);
            Files.write(log, Arrays.copyOf(bytes, bytes.length - 7));

            assertThat(store.load(key))
                    .as("the save that never returned is not there")
                    .contains(asLoaded(first));
            Checkpoint next = changed(40, Map.copyOf(tracked), "b");
            store.save(key, next);
            assertThat(log)
                    .as("nothing is appended after a torn line: a snapshot replaces it all")
                    .doesNotExist();
            assertThat(store.load(key)).contains(asLoaded(next));
        }
    }

    @Test
    void aLogLeftOverFromAnOlderSnapshotIsNotReplayed() throws Exception {
        Map<String, TrackedTask> tracked = new HashMap<>(Map.of("a", new TrackedTask("Running", 1, false)));
        try (FileCheckpointStore store = new FileCheckpointStore(dir)) {
            store.save(key, new Checkpoint(10, null, Map.copyOf(tracked), null));
            tracked.put("b", new TrackedTask("Running", 2, false));
            store.save(key, changed(20, Map.copyOf(tracked), "b"));
            byte[] oldLog = Files.readAllBytes(store.logOf(key));
            // What changed is not known: a new snapshot, and the old log is gone...
            Checkpoint fresh = new Checkpoint(30, null, Map.of("z", new TrackedTask("Running", 9, false)), null);
            store.save(key, fresh);
            assertThat(store.logOf(key)).doesNotExist();
            // ...unless a crash came between the two: the old log is still there, and ignored.
            Files.write(store.logOf(key), oldLog);

            assertThat(store.load(key)).contains(fresh);
        }
    }

    @Test
    void theLogIsFoldedIntoANewSnapshotOnceItOutgrowsIt() throws Exception {
        Map<String, TrackedTask> tracked = new HashMap<>();
        String[] ids = new String[4000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "task-" + i;
            tracked.put(ids[i], new TrackedTask("Running", i, false));
        }
        try (FileCheckpointStore store = new FileCheckpointStore(dir)) {
            store.save(key, new Checkpoint(10, null, Map.copyOf(tracked), null));
            long snapshotBytes = Files.size(store.fileOf(key));
            int appends = 0;
            while (Files.exists(store.logOf(key)) || appends == 0) {
                store.save(key, changed(20 + appends, Map.copyOf(tracked), ids));
                appends++;
                assertThat(appends).as("compacted at last").isLessThan(100);
                if (Files.exists(store.logOf(key))) {
                    assertThat(Files.size(store.logOf(key)))
                            .isLessThanOrEqualTo(Math.max(snapshotBytes, FileCheckpointStore.MIN_LOG_BYTES)
                                    + Files.size(store.fileOf(key)));
                }
            }
            assertThat(appends)
                    .as("the log grew past the snapshot before it was folded")
                    .isGreaterThan(2);
            assertThat(store.load(key)).contains(asLoaded(changed(20 + appends - 1, Map.copyOf(tracked), ids)));
        }
    }

    @Test
    void aDamagedLineBeforeTheLastIsAnErrorNotATornWrite() throws Exception {
        Map<String, TrackedTask> tracked = Map.of("a", new TrackedTask("Running", 1, false));
        try (FileCheckpointStore store = new FileCheckpointStore(dir)) {
            store.save(key, new Checkpoint(10, null, tracked, null));
            store.save(key, changed(20, tracked, "a"));
            store.save(key, changed(30, tracked, "a"));
            String log = Files.readString(store.logOf(key));
            Files.writeString(store.logOf(key), log.replaceFirst("\"watermark\":20", "\"watermark\":21"));

            assertThatThrownBy(() -> store.load(key))
                    .hasMessageContaining(store.fileOf(key).toString())
                    .hasMessageContaining("line 2 of the checkpoint log is damaged");
        }
    }
}
