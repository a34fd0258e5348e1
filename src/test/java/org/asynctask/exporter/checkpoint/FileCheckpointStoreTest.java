package org.asynctask.exporter.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.task.TrackedTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointStoreTest {
    @TempDir
    Path dir;
    private final PartitionKey key = new PartitionKey("alibaba-fc3", "main", "123", "cn-hangzhou", null, "orders", "prod");

    @Test
    void savesAndLoadsEverythingItHolds() {
        Checkpoint cp = new Checkpoint(42, new ScanState(40, 50, "tok=="), Map.of(
                "a", new TrackedTask("Running", 41, false), "b", new TrackedTask("Succeeded", 45, true)), "a", 41);
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
                    .containsExactlyInAnyOrder(".lock", "alibaba-fc3_main_123_cn-hangzhou_-_orders_prod-" + "%s.json"
                            .formatted(org.asynctask.exporter.task.EventIds.hash(key.id()).substring(0, 8)));
        }
    }

    @Test
    void refusesToStartAfreshFromAnUnreadableCheckpoint() throws Exception {
        try (FileCheckpointStore store = new FileCheckpointStore(dir)) {
            store.save(key, Checkpoint.start(1));
            Files.writeString(store.fileOf(key), "{\"version\":1,\"watermark\":");
            assertThatThrownBy(() -> store.load(key)).hasMessageContaining(store.fileOf(key).toString())
                    .hasMessageContaining("move it away");
        }
    }

    @Test
    void oneDirectoryServesOneExporterAtATime() {
        try (FileCheckpointStore first = new FileCheckpointStore(dir)) {
            assertThatThrownBy(() -> new FileCheckpointStore(dir)).hasMessageContaining("held by a running exporter");
        }
        new FileCheckpointStore(dir).close();
    }
}
