package org.asynctask.exporter.checkpoint;

import java.util.Map;
import java.util.Optional;
import org.asynctask.exporter.provider.PartitionKey;

/** Durable checkpoints, one per partition. {@link #save} returns only once the checkpoint is durable. */
public interface CheckpointStore extends AutoCloseable {

    Optional<Checkpoint> load(PartitionKey partition);

    void save(PartitionKey partition, Checkpoint checkpoint);

    /** Every stored checkpoint by partition (for the {@code checkpoints} command). */
    Map<PartitionKey, Checkpoint> loadAll();

    /** Removes the partition's checkpoint: its next poll starts like a new partition's (start-from). */
    void delete(PartitionKey partition);

    @Override
    void close();
}
