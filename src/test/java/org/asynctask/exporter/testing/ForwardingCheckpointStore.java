package org.asynctask.exporter.testing;

import java.util.Map;
import java.util.Optional;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.provider.PartitionKey;

/** A store that hands every call to another: tests override what they disturb (a failing or slow save). */
public class ForwardingCheckpointStore implements CheckpointStore {
    protected final CheckpointStore delegate;

    public ForwardingCheckpointStore(CheckpointStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<Checkpoint> load(PartitionKey partition) {
        return delegate.load(partition);
    }

    @Override
    public void save(PartitionKey partition, Checkpoint checkpoint) {
        delegate.save(partition, checkpoint);
    }

    @Override
    public Map<PartitionKey, Checkpoint> loadAll() {
        return delegate.loadAll();
    }

    @Override
    public void delete(PartitionKey partition) {
        delegate.delete(partition);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
