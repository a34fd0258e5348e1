package org.asynctask.exporter.checkpoint;

import java.util.Optional;
import org.asynctask.exporter.provider.PartitionKey;

/** Durable checkpoints, one per partition. {@link #save} returns only once the checkpoint is durable. */
public interface CheckpointStore extends AutoCloseable {

    Optional<Checkpoint> load(PartitionKey partition);

    void save(PartitionKey partition, Checkpoint checkpoint);

    @Override
    void close();
}
