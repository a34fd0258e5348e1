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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.CheckpointCodec;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.provider.PartitionKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints on a compacted topic (created if missing), key = partition id, value = the same JSON
 * as a checkpoint file. The topic is read once, on first use, into memory (committed records only);
 * saves go to the topic and to memory. Reading waits for the broker, so an exporter can start while
 * Kafka is down: its polls fail, are logged and retried until the checkpoints can be read.
 *
 * <p>With {@link KafkaTransactions} (exactly-once), a save commits the poll thread's transaction, so
 * the checkpoint and the events it covers become visible together.
 */
public final class KafkaCheckpointStore implements CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaCheckpointStore.class);
    /** How long {@link #claim} waits for the broker to answer at all before it lets the exporter start. */
    private static final Duration CLAIM_REACH = Duration.ofSeconds(5);

    private final KafkaSettings settings;
    private final KafkaTransactions transactions;
    private final KafkaProducer<String, byte[]> producer;
    /** Stored bytes, not objects: a caller's checkpoint may share state that changes after the save. */
    private final Map<String, byte[]> latest = new ConcurrentHashMap<>();

    private final boolean holdLease;
    private CheckpointLease lease;
    private volatile boolean loaded;
    /** The lease's ownership count when the topic was read: an owner that lost the lease and got it back reads again. */
    private int loadedInOwnership;

    /**
     * For {@code run}: joins the topic's {@link CheckpointLease} and waits until Kafka says who owns the
     * checkpoints. When the broker cannot be reached, it logs so and returns: the polls then fail and are
     * retried until this exporter holds the lease.
     *
     * @throws IllegalStateException naming the holder when another exporter owns them
     */
    public void claim() throws InterruptedException {
        try {
            Topics.reachable(settings.admin(), CLAIM_REACH);
            synchronized (this) {
                Topics.ensure(settings.admin(), Set.of(settings.checkpointTopic()), Set.of(settings.checkpointTopic()));
                if (lease == null) {
                    lease = CheckpointLease.hold(settings);
                }
            }
        } catch (KafkaUnavailableException e) {
            LOG.warn("{}; the exporter starts, and its polls wait for Kafka, retrying", e.getMessage());
            return;
        }
        // A killed owner keeps its membership for the session timeout: a restarted exporter waits that long.
        Boolean owner = lease.awaitFirstAssignment(
                Duration.ofMillis(CheckpointLease.SESSION_MS).plusSeconds(10));
        if (Boolean.FALSE.equals(owner)) {
            String holder = lease.others(settings);
            synchronized (this) {
                lease.close();
                lease = null;
            }
            throw new IllegalStateException("checkpoint topic " + settings.checkpointTopic() + " at "
                    + settings.bootstrapServers()
                    + " is held by another exporter (" + (holder.isEmpty() ? "unknown" : holder) + ", consumer group "
                    + CheckpointLease.group(settings)
                    + "); stop it first, or give this one an exporter.checkpoint.topic of its own "
                    + "(a killed exporter lets go after " + CheckpointLease.SESSION_MS / 1000 + " s)");
        }
        if (owner == null) {
            LOG.warn(
                    "Kafka at {} has not yet said whether this exporter holds checkpoint topic {}; its polls wait until it does",
                    settings.bootstrapServers(),
                    settings.checkpointTopic());
        }
    }

    /** The exporter's store: it holds the topic's {@link CheckpointLease} while it runs. */
    public KafkaCheckpointStore(KafkaSettings settings, KafkaTransactions transactions) {
        this(settings, transactions, true);
    }

    /**
     * @param transactions null for at-least-once delivery
     * @param holdLease    false for the {@code checkpoints} command, which checks the lease instead
     */
    public KafkaCheckpointStore(KafkaSettings settings, KafkaTransactions transactions, boolean holdLease) {
        this.settings = settings;
        this.transactions = transactions;
        this.holdLease = holdLease;
        this.producer = transactions == null ? new KafkaProducer<>(settings.producer(null)) : null;
    }

    @Override
    public Optional<Checkpoint> load(PartitionKey partition) {
        ensureLoaded();
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
        ensureLoaded();
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
        ensureLoaded();
        requireOwnership();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.checkpointTopic(), partition.id(), bytes);
        try {
            if (transactions != null) {
                transactions.send(List.of(record));
                transactions.commit();
            } else {
                producer.send(record)
                        .get(settings.deliveryTimeout().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            // The save may still have happened (a timed-out commit or send can complete later): forget
            // what is in memory, so the next poll reads what the topic really holds.
            forget();
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

    private synchronized void forget() {
        loaded = false;
        latest.clear();
    }

    /**
     * Reads the whole checkpoint topic once. Until that succeeds, every use tries again. A store without
     * transactions of its own (the {@code checkpoints} command) reads up to the last stable offset: a
     * transaction committed a few milliseconds before may not be visible yet, as its markers are written
     * after the commit returns. An exporter settles transactions first, which waits for them.
     */
    private synchronized void ensureLoaded() {
        if (loaded && (lease == null || lease.ownerships() == loadedInOwnership)) {
            return;
        }
        loaded = false;
        String topic = settings.checkpointTopic();
        Topics.ensure(settings.admin(), Set.of(topic), Set.of(topic));
        if (holdLease && lease == null) {
            lease = CheckpointLease.hold(settings);
        }
        if (lease != null) {
            try {
                // Immediate once Kafka has answered the join (claim() waited for it already at start).
                lease.awaitFirstAssignment(
                        Duration.ofMillis(CheckpointLease.SESSION_MS).plusSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        requireOwnership();
        int ownership = lease == null ? 0 : lease.ownerships();
        if (transactions != null) {
            // A transaction left open by a killed predecessor, or undecided after a failed commit,
            // must be settled first, or the committed state read below could be outdated.
            transactions.settle();
        }
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings.consumer(true))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, settings.deliveryTimeout()).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, settings.deliveryTimeout());
            long deadline = System.nanoTime()
                    + settings.deliveryTimeout().multipliedBy(4).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading checkpoints");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        latest.remove(r.key());
                    } else {
                        latest.put(r.key(), r.value());
                    }
                }
            }
            loaded = true;
            loadedInOwnership = ownership;
        } catch (RuntimeException e) {
            latest.clear();
            throw new KafkaUnavailableException(
                    "cannot read checkpoints from topic " + topic + " at " + settings.bootstrapServers() + ": " + e, e);
        }
    }

    /** Only the lease's owner reads or writes: another exporter's checkpoints are not ours to overwrite. */
    private void requireOwnership() {
        if (holdLease && (lease == null || !lease.owner())) {
            String others = lease == null ? "" : lease.others(settings);
            throw new KafkaUnavailableException(
                    "this exporter does not hold checkpoint topic " + settings.checkpointTopic()
                            + (others.isEmpty() ? " yet" : "; " + others + " does") + " (consumer group "
                            + CheckpointLease.group(settings)
                            + "); it waits, and takes over once the holder lets go",
                    null);
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
