package org.asynctask.exporter.poll;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.provider.PartitionKey;

/**
 * The last saved checkpoint per partition, in front of the store: saves a store read per poll. An entry
 * shares its tracked-task map with the cycle that saved it, so after any failure it is dropped and the next
 * poll starts from the store, exactly as after a crash.
 */
final class CommittedCheckpoints {
    private final CheckpointStore store;
    private final Clock clock;
    /** Null for the live exporter. */
    private final BackfillWindow backfill;

    private final Map<PartitionKey, Checkpoint> committed = new ConcurrentHashMap<>();

    CommittedCheckpoints(CheckpointStore store, Clock clock, BackfillWindow backfill) {
        this.store = store;
        this.clock = clock;
        this.backfill = backfill;
    }

    /**
     * Where the partition's next poll starts: its last checkpoint, or, on its first poll, the start of the
     * backfill's window or now less the source's initial look-back.
     */
    Checkpoint load(PollTarget target) {
        return committed.computeIfAbsent(
                target.key(), k -> store.load(k).orElseGet(() -> Checkpoint.start(firstFrom(target))));
    }

    private long firstFrom(PollTarget target) {
        return backfill != null
                ? backfill.from().toEpochMilli()
                : clock.millis() - target.source().scan().initialLookback().toMillis();
    }

    /** Saves what the store keeps of {@code full}, and keeps {@code full} for the next poll. */
    void save(PartitionKey key, Checkpoint stored, Checkpoint full) {
        store.save(key, stored);
        committed.put(key, full);
    }

    /** The state a poll ended with: what changed without a write (the turn of the checks) counts from the next poll. */
    void keep(PartitionKey key, Checkpoint state) {
        committed.put(key, state);
    }

    /** After a failure: the next poll starts from the store. */
    void drop(PartitionKey key) {
        committed.remove(key);
    }

    /** Partitions that moved to another member (group mode): should they come back, they start from the store. */
    void forget(Predicate<PartitionKey> moved) {
        committed.keySet().removeIf(moved);
    }
}
