package org.asynctask.exporter.kafka;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transactional producers, one per shard, made when a shard is first used. Their transactional ids are
 * stable ({@code exporter.kafka.transactional-id}, with {@code -<shard>} in group mode), so whichever member
 * holds a shard next starts its producer with the same id, and that {@code initTransactions} fences the
 * previous holder: a member paused past its session (a zombie) can no longer commit anything of the shard,
 * and what it had open is aborted.
 *
 * <p>Exactly-once, a poll's events and its checkpoint go in its shard's transaction. At-least-once in group
 * mode, only the checkpoints do: that is what keeps a zombie's late checkpoint from overwriting the new owner's.
 */
public final class ShardTransactions implements AutoCloseable {
    private final KafkaSettings settings;
    private final Map<Integer, KafkaTransactions> byShard = new ConcurrentHashMap<>();

    public ShardTransactions(KafkaSettings settings) {
        this.settings = settings;
    }

    KafkaTransactions of(int shard) {
        return byShard.computeIfAbsent(shard, s -> new KafkaTransactions(settings, transactionalId(s)));
    }

    String transactionalId(int shard) {
        return settings.group().grouped() ? settings.transactionalId() + "-" + shard : settings.transactionalId();
    }

    /** Drops the calling thread's open transaction, whichever shard it is on; nothing of it becomes visible. */
    public void abortOpen() {
        byShard.values().forEach(KafkaTransactions::abort);
    }

    /** The shards went to another member: their producers are closed (the next holder fences them anyway). */
    void release(Set<Integer> shards) {
        for (Integer shard : shards) {
            KafkaTransactions t = byShard.remove(shard);
            if (t != null) {
                t.close();
            }
        }
    }

    @Override
    public void close() {
        byShard.values().forEach(KafkaTransactions::close);
        byShard.clear();
    }
}
