package org.asynctask.exporter.kafka;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which shards of the checkpoints this exporter holds, decided by Kafka's consumer-group protocol: every
 * exporter on the checkpoint topic is a member of one consumer group and subscribes to the topic with every
 * partition paused (it never fetches); the partitions Kafka assigns it are its shards. The cooperative sticky
 * assignor moves only what must move, so unaffected shards keep polling through a rebalance.
 *
 * <ul>
 *   <li>Single owner (no {@code exporter.group.id}): the group is {@code <checkpoint topic>.lease} and the topic
 *       has one partition. A member that joins while the owner lives gets nothing, so a second exporter on the
 *       same store is refused instead of publishing duplicates and overwriting the first one's checkpoints.</li>
 *   <li>Group mode: the group is {@code exporter.group.id}, the topic has {@code exporter.group.shards}
 *       partitions, and each member polls the partitions of its shards; members beyond the shards wait as
 *       standbys.</li>
 * </ul>
 * Kafka ends a membership when its exporter stops, or a session timeout ({@code exporter.group.session-timeout})
 * after it went silent; its shards then go to the others. {@link LeaseGroup} reads the group from outside: who
 * holds which shards.
 */
public final class CheckpointLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointLease.class);

    /** Told of every change of the shards held, on the lease's thread, in the rebalance. */
    public interface Listener {
        /** From now on these shards are this exporter's: their polls may start. */
        void assigned(Set<Integer> shards);

        /**
         * These shards go to another member (or were lost, when this one missed its session): return once no
         * poll of theirs is in flight, so the page in hand is published and committed before the new owner
         * reads the checkpoints. Nothing of theirs is written after it returns.
         */
        void revoking(Set<Integer> shards);

        /** For a store that polls nothing. */
        Listener NONE = new Listener() {
            @Override
            public void assigned(Set<Integer> shards) {}

            @Override
            public void revoking(Set<Integer> shards) {}
        };
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread heartbeat;
    private final String topic;
    private final String group;
    private final boolean grouped;
    private final long sessionMs;
    private final String holderName = "async-task-exporter@" + holderName();
    private final CountDownLatch firstAssignment = new CountDownLatch(1);
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();
    private final Listener listener;
    private volatile boolean closed;
    /** Why Kafka refused the membership for good, in words naming the setting; null while none. */
    private volatile String refused;

    private CheckpointLease(KafkaSettings settings, Listener listener) {
        this.listener = listener;
        this.topic = settings.checkpointTopic();
        this.group = LeaseGroup.name(settings);
        this.grouped = settings.group().grouped();
        Properties p = settings.consumer(false);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, holderName);
        this.sessionMs = settings.group().sessionTimeout().toMillis();
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(sessionMs));
        // A member hears of a rebalance with its next heartbeat: once a second, not Kafka's every 3 s, keeps a
        // hand-over short (a rolling restart's moved partitions wait for every member to rejoin); a third of
        // a shorter session, so that one late heartbeat does not end it.
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.min(1000, sessionMs / 3)));
        // Sticky: a member that joins while the owner lives gets nothing, and the owner keeps its shards.
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.heartbeat = new Thread(this::run, "checkpoint-lease");
        heartbeat.setDaemon(true);
    }

    /** Joins the group in the background; {@code listener} hears of every shard gained or handed over. */
    static CheckpointLease hold(KafkaSettings settings, Listener listener) {
        CheckpointLease lease = new CheckpointLease(settings, listener);
        lease.heartbeat.start();
        return lease;
    }

    /**
     * Waits for Kafka's first answer to the join.
     *
     * @return true once this exporter holds a shard, false when it holds none, null when Kafka gave no answer
     *         in time
     */
    public Boolean awaitFirstAssignment(Duration timeout) throws InterruptedException {
        return firstAssignment.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? !held.isEmpty() : null;
    }

    /** Why Kafka refused this member for good (naming the setting to change), or null. */
    public String refused() {
        return refused;
    }

    /** Kafka has answered the join and the membership is kept up (false once its thread ended). */
    public boolean member() {
        return firstAssignment.getCount() == 0 && heartbeat.isAlive() && !closed;
    }

    /** This exporter holds the shard now: it may read and write its checkpoints. */
    public boolean holds(int shard) {
        return held.contains(shard);
    }

    /** The shards held now, in order. */
    public Set<Integer> held() {
        return new TreeSet<>(held);
    }

    /** This member's name in the group: {@code async-task-exporter@<pid>@<host>}. */
    public String name() {
        return holderName;
    }

    private static String holderName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return ManagementFactory.getRuntimeMXBean().getPid() + "@" + host;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), rebalance);
            while (!closed) {
                consumer.poll(Duration.ofMillis(500));
            }
        } catch (WakeupException stopping) {
            // close() woke us up.
        } catch (InvalidSessionTimeoutException e) {
            refused = "exporter.group.session-timeout: the broker refuses " + sessionMs + " ms for consumer group "
                    + group + " (outside its group.min.session.timeout.ms and group.max.session.timeout.ms)";
            LOG.error("{}; this exporter holds no checkpoints", refused);
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("checkpoint lease: {}; this exporter no longer holds shards of {}", e.toString(), topic);
            }
        } finally {
            lose(held(), false);
            firstAssignment.countDown();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Pauses whatever it is given (the member exists to hold, not to read) and follows which shards it holds. */
    private final ConsumerRebalanceListener rebalance = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            lose(shards(partitions), false);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lose(shards(partitions), true);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            consumer.pause(partitions);
            Set<Integer> gained = shards(partitions);
            gained.removeAll(held);
            if (!gained.isEmpty()) {
                held.addAll(gained);
                if (grouped) {
                    LOG.info("group {}: this exporter now holds shard(s) {}, all it holds: {}", group, gained, held());
                } else {
                    LOG.info("this exporter holds checkpoint topic {} (consumer group {})", topic, group);
                }
                listener.assigned(gained);
            }
            firstAssignment.countDown();
        }
    };

    private void lose(Set<Integer> shards, boolean lost) {
        shards.retainAll(held);
        if (shards.isEmpty()) {
            return;
        }
        listener.revoking(shards);
        held.removeAll(shards);
        if (closed) {
            return;
        }
        if (!grouped) {
            LOG.warn(
                    "this exporter lost checkpoint topic {} to another member of {}; it writes no checkpoint until it "
                            + "holds it again",
                    topic,
                    group);
        } else if (lost) {
            LOG.warn(
                    "group {}: this exporter missed its session and lost shard(s) {}; their new owner fenced what it "
                            + "had open; it holds {}",
                    group,
                    shards,
                    held());
        } else {
            LOG.info(
                    "group {}: shard(s) {} handed over to another member; this exporter holds {}",
                    group,
                    shards,
                    held());
        }
    }

    private static Set<Integer> shards(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            consumer.wakeup();
        }
        try {
            heartbeat.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
