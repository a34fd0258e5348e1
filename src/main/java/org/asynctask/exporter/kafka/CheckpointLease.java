package org.asynctask.exporter.kafka;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
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
 * Kafka ends a membership when its exporter stops, or {@value #SESSION_MS} ms after it died; its shards then
 * go to the others. The {@code checkpoints} command reads the group to refuse changes under a running exporter.
 */
public final class CheckpointLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointLease.class);
    static final int SESSION_MS = 10_000;

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
    private final String holderName = "async-task-exporter@" + holderName();
    private final CountDownLatch firstAssignment = new CountDownLatch(1);
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();
    private final Listener listener;
    private volatile boolean closed;

    private CheckpointLease(KafkaSettings settings, Listener listener) {
        this.listener = listener;
        this.topic = settings.checkpointTopic();
        this.group = group(settings);
        this.grouped = settings.group().grouped();
        Properties p = settings.consumer(false);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, holderName);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(SESSION_MS));
        // A member hears of a rebalance with its next heartbeat: once a second, not Kafka's every 3 s, keeps a
        // hand-over short (a rolling restart's moved partitions wait for every member to rejoin).
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
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

    /** The other members of the group, as {@code client at host}; empty when none (or unknown). */
    public String others(KafkaSettings settings) {
        return members(settings).stream()
                .filter(m -> !m.clientId().equals(holderName))
                .map(m -> m.clientId() + " at " + m.host())
                .collect(Collectors.joining(", "));
    }

    /** How many members the group has now. */
    public static int memberCount(KafkaSettings settings) {
        return members(settings).size();
    }

    /** Every member of the group with the shards Kafka assigned it (a standby with none). */
    public static Map<String, Set<Integer>> members(KafkaSettings settings, String topic) {
        Map<String, Set<Integer>> out = new TreeMap<>();
        for (MemberDescription m : members(settings)) {
            out.put(
                    m.clientId() + " at " + m.host(),
                    m.assignment().topicPartitions().stream()
                            .filter(tp -> tp.topic().equals(topic))
                            .map(TopicPartition::partition)
                            .collect(Collectors.toCollection(TreeSet::new)));
        }
        return out;
    }

    /**
     * @throws IllegalStateException naming the holders when an exporter uses the checkpoint topic now
     */
    public static void refuseIfHeld(KafkaSettings settings) {
        List<MemberDescription> members = members(settings);
        if (!members.isEmpty()) {
            throw new IllegalStateException(
                    "checkpoint topic " + settings.checkpointTopic() + " is held by a running exporter ("
                            + members.stream()
                                    .map(m -> m.clientId() + " at " + m.host())
                                    .collect(Collectors.joining(", "))
                            + ", consumer group " + group(settings) + "); stop it first (a killed one lets go after "
                            + SESSION_MS / 1000 + " s)");
        }
    }

    private static List<MemberDescription> members(KafkaSettings settings) {
        String group = group(settings);
        try (Admin admin = Admin.create(settings.admin())) {
            ConsumerGroupDescription d =
                    admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return List.copyOf(d.members());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking consumer group " + group, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw new KafkaUnavailableException(
                    "cannot check whether an exporter holds checkpoint topic " + settings.checkpointTopic() + " at "
                            + settings.bootstrapServers() + ": " + e.getCause(),
                    e);
        }
    }

    /** {@code exporter.group.id} in group mode, else {@code <checkpoint topic>.lease}. */
    public static String group(KafkaSettings settings) {
        return settings.group().grouped() ? settings.group().id() : settings.checkpointTopic() + ".lease";
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
