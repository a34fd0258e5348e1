package org.asynctask.exporter.kafka;

import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.CheckpointCodec;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.provider.PartitionKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints on a compacted topic (created if missing), key = partition id, value = the same JSON
 * as a checkpoint file. The topic has one partition per shard ({@link GroupSettings}; one without a group),
 * and a checkpoint lives in its shard's partition. A shard is read on first use, into memory (committed
 * records only); saves go to the topic and to memory. Reading waits for the broker, so an exporter can start
 * while Kafka is down: its polls fail, are logged and retried until the checkpoints can be read.
 *
 * <p>With {@link ShardTransactions} a save commits the poll thread's transaction on its shard: exactly-once,
 * the checkpoint and the events it covers become visible together; in group mode (both delivery modes) the
 * shard's next holder fences this one, so that nothing it saves late overwrites the new holder's checkpoints.
 */
public final class KafkaCheckpointStore implements CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaCheckpointStore.class);
    /** How long {@link #claim} waits for the broker to answer at all before it lets the exporter start. */
    private static final Duration CLAIM_REACH = Duration.ofSeconds(5);

    private final KafkaSettings settings;
    private final GroupSettings group;
    private final CheckpointTopic topic;
    private final ShardTransactions transactions;
    private final KafkaProducer<String, byte[]> producer;
    /** Stored bytes, not objects: a caller's checkpoint may share state that changes after the save. */
    private final Map<String, byte[]> latest = new ConcurrentHashMap<>();

    private final boolean holdLease;
    private CheckpointLease lease;
    /** The shards read into {@link #latest}; one a member lost and got back is read again. */
    private final Set<Integer> loaded = ConcurrentHashMap.newKeySet();

    /**
     * For {@code run}: joins the checkpoint group ({@link CheckpointLease}) and waits until Kafka says which
     * shards are this exporter's. When the broker cannot be reached, it logs so and returns: the polls then
     * fail and are retried until this exporter holds their shards.
     *
     * @param shardsMoved told of every shard this exporter gains or hands over (it stops and starts polls)
     * @throws IllegalStateException naming the holder when, without a group, another exporter owns them; or
     *                               when the topic's partitions are not the shards configured
     */
    public void claim(CheckpointLease.Listener shardsMoved) throws InterruptedException {
        try {
            Topics.reachable(settings.admin(), CLAIM_REACH);
            synchronized (this) {
                ensureTopic();
                if (lease == null) {
                    lease = CheckpointLease.hold(settings, keepingInStep(shardsMoved));
                }
            }
        } catch (KafkaUnavailableException e) {
            LOG.warn("{}; the exporter starts, and its polls wait for Kafka, retrying", e.getMessage());
            return;
        }
        // A killed owner keeps its membership for the session timeout: a restarted exporter waits that long.
        Boolean holds = lease.awaitFirstAssignment(group.sessionTimeout().plusSeconds(10));
        if (lease.refused() != null) {
            String refused = lease.refused();
            letGoOfLease();
            throw new IllegalStateException(refused);
        }
        if (Boolean.FALSE.equals(holds) && !group.grouped()) {
            String holder = LeaseGroup.othersThan(settings, lease.name());
            letGoOfLease();
            throw new IllegalStateException("checkpoint topic " + settings.checkpointTopic() + " at "
                    + settings.bootstrapServers()
                    + " is held by another exporter (" + (holder.isEmpty() ? "unknown" : holder) + ", consumer group "
                    + LeaseGroup.name(settings)
                    + "); stop it first, or give this one an exporter.checkpoint.topic of its own "
                    + "(a killed exporter lets go after "
                    + group.sessionTimeout().toSeconds() + " s)");
        }
        if (Boolean.FALSE.equals(holds)) {
            LOG.info(
                    "group {}: every shard is held by another member ({}); this exporter waits as a standby",
                    group.id(),
                    LeaseGroup.othersThan(settings, lease.name()));
        }
        if (holds == null) {
            LOG.warn(
                    "Kafka at {} has not yet said which shards of checkpoint topic {} this exporter holds; its polls wait "
                            + "until it does",
                    settings.bootstrapServers(),
                    settings.checkpointTopic());
        }
    }

    /** A start that cannot go on leaves the group, so that it holds up nobody. */
    private synchronized void letGoOfLease() {
        lease.close();
        lease = null;
    }

    /** The lease this exporter holds, for the status and metrics; null before {@link #claim}. */
    public synchronized CheckpointLease lease() {
        return lease;
    }

    /** The exporter's store: it holds the topic's {@link CheckpointLease} while it runs. */
    public KafkaCheckpointStore(KafkaSettings settings, ShardTransactions transactions) {
        this(settings, transactions, true);
    }

    /**
     * @param transactions null for at-least-once delivery without a group
     * @param holdLease    false for the {@code checkpoints} command, which checks the lease instead
     */
    public KafkaCheckpointStore(KafkaSettings settings, ShardTransactions transactions, boolean holdLease) {
        this.settings = settings;
        this.group = settings.group();
        this.topic = new CheckpointTopic(settings);
        this.transactions = transactions;
        this.holdLease = holdLease;
        this.producer = transactions == null ? new KafkaProducer<>(settings.producer(null)) : null;
    }

    /** Forgets a shard that moved before its new holder reads it, then tells the exporter. */
    private CheckpointLease.Listener keepingInStep(CheckpointLease.Listener shardsMoved) {
        return new CheckpointLease.Listener() {
            @Override
            public void assigned(Set<Integer> shards) {
                shardsMoved.assigned(shards);
            }

            @Override
            public void revoking(Set<Integer> shards) {
                shardsMoved.revoking(shards);
                loaded.removeAll(shards);
                latest.keySet().removeIf(id -> shards.contains(group.shardOf(id)));
                if (transactions != null) {
                    transactions.release(shards);
                }
            }
        };
    }

    @Override
    public Optional<Checkpoint> load(PartitionKey partition) {
        ensureLoaded(group.shardOf(partition));
        byte[] bytes = latest.get(partition.id());
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(CheckpointCodec.decode(bytes));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "checkpoint of " + partition + " on topic " + settings.checkpointTopic()
                            + " is unreadable (" + e.getMessage() + "); publish a tombstone for key '" + partition.id()
                            + "' to start this partition afresh",
                    e);
        }
    }

    @Override
    public Map<PartitionKey, Checkpoint> loadAll() {
        for (int shard = 0; shard < group.shards(); shard++) {
            if (!holdLease || (lease != null && lease.holds(shard))) {
                ensureLoaded(shard);
            }
        }
        Map<PartitionKey, Checkpoint> all = new TreeMap<>(Comparator.comparing(PartitionKey::id));
        latest.forEach((id, bytes) -> {
            try {
                all.put(CheckpointCodec.partitionOf(bytes), CheckpointCodec.decode(bytes));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(
                        "checkpoint '" + id + "' on topic " + settings.checkpointTopic() + " is unreadable ("
                                + e.getMessage() + ")",
                        e);
            }
        });
        return all;
    }

    @Override
    public void save(PartitionKey partition, Checkpoint checkpoint) {
        write(partition, CheckpointCodec.encode(partition, checkpoint));
    }

    /** A tombstone: compaction then removes the key. */
    @Override
    public void delete(PartitionKey partition) {
        write(partition, null);
    }

    private void write(PartitionKey partition, byte[] bytes) {
        int shard = group.shardOf(partition);
        ensureLoaded(shard);
        requireHolding(shard);
        // The command writes to whatever shape the topic has: Kafka's partitioner then picks the shard's partition.
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(settings.checkpointTopic(), holdLease ? shard : null, partition.id(), bytes);
        try {
            if (transactions != null) {
                KafkaTransactions shardTransactions = transactions.of(shard);
                shardTransactions.send(List.of(record));
                shardTransactions.commit();
            } else {
                producer.send(record)
                        .get(settings.deliveryTimeout().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            // The save may still have happened (a timed-out commit or send can complete later): forget
            // what is in memory, so the next poll reads what the topic really holds.
            forget(shard);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof KafkaUnavailableException k
                    ? k
                    : new KafkaUnavailableException(
                            "cannot save the checkpoint of " + partition + " to topic " + settings.checkpointTopic()
                                    + " at " + settings.bootstrapServers() + ": " + e,
                            e);
        }
        if (bytes == null) {
            latest.remove(partition.id());
        } else {
            latest.put(partition.id(), bytes);
        }
    }

    private synchronized void forget(int shard) {
        loaded.remove(shard);
        latest.keySet().removeIf(id -> group.shardOf(id) == shard);
    }

    /**
     * The topic exists (made with one partition per shard when missing). The exporter's store refuses another
     * count; the {@code checkpoints} command reads any shape (it is how a topic of the old shape is migrated).
     */
    private void ensureTopic() {
        int partitions = topic.ready();
        if (holdLease) {
            topic.requireShape(partitions);
        }
    }

    /**
     * For {@code checkpoints migrate}: the topic, made if missing, has one partition per shard.
     *
     * @throws IllegalStateException saying what to do when it has another count
     */
    public void requireOneShardPerPartition() {
        topic.requireShape(topic.ready());
    }

    /**
     * Reads one shard of the checkpoint topic (the {@code checkpoints} command: all of them) once. Until that
     * succeeds, every use tries again. A store without transactions of its own (the {@code checkpoints}
     * command) reads up to the last stable offset: a transaction committed a few milliseconds before may not
     * be visible yet, as its markers are written after the commit returns. An exporter settles the shard's
     * transactions first, which waits for them, and fences whoever held the shard before.
     */
    private synchronized void ensureLoaded(int shard) {
        if (loaded.contains(shard)) {
            return;
        }
        ensureTopic();
        if (holdLease && lease == null) {
            lease = CheckpointLease.hold(settings, keepingInStep(CheckpointLease.Listener.NONE));
        }
        if (lease != null) {
            try {
                // Immediate once Kafka has answered the join (claim() waited for it already at start).
                lease.awaitFirstAssignment(group.sessionTimeout().plusSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        requireHolding(shard);
        if (transactions != null) {
            // A transaction left open by a killed predecessor, or undecided after a failed commit,
            // must be settled first, or the committed state read below could be outdated.
            transactions.of(shard).settle();
        }
        try {
            topic.read(holdLease ? shard : null, latest);
            if (holdLease) {
                loaded.add(shard);
            } else {
                // Whatever its shape, the command has read the whole topic.
                IntStream.range(0, group.shards()).forEach(loaded::add);
            }
        } catch (RuntimeException e) {
            forget(shard);
            throw new KafkaUnavailableException(
                    "cannot read checkpoints from topic " + settings.checkpointTopic() + " at "
                            + settings.bootstrapServers() + ": " + e,
                    e);
        }
    }

    /** Only the shard's holder reads or writes: another exporter's checkpoints are not ours to overwrite. */
    private void requireHolding(int shard) {
        if (holdLease && (lease == null || !lease.holds(shard))) {
            throw LeaseGroup.notHeld(settings, lease == null ? null : lease.name(), shard);
        }
    }

    /**
     * Leaves the consumer group before anything else stops: the polls in flight finish their page, and the
     * shards go to the other members at once instead of after the rest of the shutdown. Nothing is written
     * after it.
     */
    public void handOverShards() {
        // Not under this store's lock: the polls the hand-over waits for may still load a shard.
        CheckpointLease held = lease();
        if (held != null) {
            held.close();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (lease != null) {
                lease.close();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
