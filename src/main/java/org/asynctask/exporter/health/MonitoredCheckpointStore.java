package org.asynctask.exporter.health;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.checkpoint.CheckpointStoreException;
import org.asynctask.exporter.provider.PartitionKey;

/**
 * The checkpoint store, with its {@link OutputHealth} kept by every read and write. Its failures, of
 * whatever store, are {@link CheckpointStoreException}s: the poll route handles them as one kind.
 */
public final class MonitoredCheckpointStore implements CheckpointStore {
    private final CheckpointStore store;
    private final OutputHealth health;

    public MonitoredCheckpointStore(CheckpointStore store, OutputHealth health) {
        this.store = store;
        this.health = health;
    }

    @Override
    public Optional<Checkpoint> load(PartitionKey partition) {
        return watched(() -> store.load(partition));
    }

    @Override
    public void save(PartitionKey partition, Checkpoint checkpoint) {
        watched(() -> {
            store.save(partition, checkpoint);
            return null;
        });
    }

    @Override
    public Map<PartitionKey, Checkpoint> loadAll() {
        return watched(store::loadAll);
    }

    @Override
    public void delete(PartitionKey partition) {
        watched(() -> {
            store.delete(partition);
            return null;
        });
    }

    private <T> T watched(Supplier<T> use) {
        T result;
        try {
            result = use.get();
        } catch (RuntimeException e) {
            health.failed(e);
            throw e instanceof CheckpointStoreException known ? known : new CheckpointStoreException(e.getMessage(), e);
        }
        health.ok();
        return result;
    }

    @Override
    public void close() {
        store.close();
    }
}
