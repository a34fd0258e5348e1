package org.asynctask.exporter.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.asynctask.exporter.provider.PartitionKey;

/**
 * A backfill's checkpoints, apart from the live ones: in their own store (a {@code backfill} directory
 * or a {@code .backfill} topic), each partition named with its window ({@code source@window}), so that a
 * backfill resumes where it stopped and never touches what the live exporter saved.
 */
public final class BackfillCheckpointStore implements CheckpointStore {
    private final CheckpointStore delegate;
    private final String window;

    public BackfillCheckpointStore(CheckpointStore delegate, String window) {
        this.delegate = delegate;
        this.window = window;
    }

    private PartitionKey stored(PartitionKey p) {
        return new PartitionKey(
                p.provider(),
                p.source() + "@" + window,
                p.account(),
                p.region(),
                p.namespace(),
                p.function(),
                p.qualifier());
    }

    @Override
    public Optional<Checkpoint> load(PartitionKey partition) {
        return delegate.load(stored(partition));
    }

    @Override
    public void save(PartitionKey partition, Checkpoint checkpoint) {
        delegate.save(stored(partition), checkpoint);
    }

    @Override
    public Map<PartitionKey, Checkpoint> loadAll() {
        Map<PartitionKey, Checkpoint> mine = new LinkedHashMap<>();
        String suffix = "@" + window;
        delegate.loadAll().forEach((k, c) -> {
            if (k.source().endsWith(suffix)) {
                mine.put(
                        new PartitionKey(
                                k.provider(),
                                k.source().substring(0, k.source().length() - suffix.length()),
                                k.account(),
                                k.region(),
                                k.namespace(),
                                k.function(),
                                k.qualifier()),
                        c);
            }
        });
        return mine;
    }

    @Override
    public void delete(PartitionKey partition) {
        delegate.delete(stored(partition));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
