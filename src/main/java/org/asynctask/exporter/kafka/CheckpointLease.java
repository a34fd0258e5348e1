package org.asynctask.exporter.kafka;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
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
 * One owner per checkpoint topic, decided by Kafka's consumer-group protocol: every exporter on the topic
 * is a member of the group {@code <checkpoint topic>.lease} and subscribes to the topic with every
 * partition paused (it never fetches); the member Kafka assigns partition 0 owns the checkpoints. With
 * the cooperative sticky assignor a member that joins later gets nothing while the owner lives, so a
 * second exporter on the same store is refused instead of publishing duplicates and overwriting the
 * first one's checkpoints. Kafka ends the membership when the owner stops, or {@value #SESSION_MS} ms
 * after it died; the partition then goes to a waiting member. The {@code checkpoints} command reads the
 * group to refuse changes under a running exporter.
 */
public final class CheckpointLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointLease.class);
    static final int SESSION_MS = 10_000;

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread heartbeat;
    private final String topic;
    private final TopicPartition owned;
    private final String holderName = "async-task-exporter@" + holderName();
    private final CountDownLatch firstAssignment = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile boolean owner;
    /** Counts the times this member became owner: a store re-reads the topic after it lost and regained it. */
    private volatile int ownerships;

    private CheckpointLease(KafkaSettings settings) {
        Properties p = settings.consumer(false);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group(settings));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, holderName);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(SESSION_MS));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        // Sticky: a member that joins while the owner lives gets nothing, and the owner keeps partition 0.
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.topic = settings.checkpointTopic();
        this.owned = new TopicPartition(topic, 0);
        this.heartbeat = new Thread(this::run, "checkpoint-lease");
        heartbeat.setDaemon(true);
    }

    /** Joins the lease group in the background. */
    public static CheckpointLease hold(KafkaSettings settings) {
        CheckpointLease lease = new CheckpointLease(settings);
        lease.heartbeat.start();
        return lease;
    }

    /**
     * Waits for Kafka's first answer to the join.
     *
     * @return true once this exporter owns the checkpoints, false when another member does, null when
     *         Kafka gave no answer in time
     */
    public Boolean awaitFirstAssignment(Duration timeout) throws InterruptedException {
        return firstAssignment.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? owner : null;
    }

    /** This exporter owns the checkpoints now. */
    public boolean owner() {
        return owner;
    }

    int ownerships() {
        return ownerships;
    }

    /** The other members of the lease group, as {@code client at host}; empty when none (or unknown). */
    public String others(KafkaSettings settings) {
        return members(settings).stream()
                .filter(m -> !m.clientId().equals(holderName))
                .map(m -> m.clientId() + " at " + m.host())
                .collect(Collectors.joining(", "));
    }

    /**
     * @throws IllegalStateException naming the holder when an exporter uses the checkpoint topic now
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

    static String group(KafkaSettings settings) {
        return settings.checkpointTopic() + ".lease";
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
                LOG.warn(
                        "checkpoint lease: {}; this exporter no longer holds the checkpoint topic {}",
                        e.toString(),
                        topic);
            }
        } finally {
            owner = false;
            firstAssignment.countDown();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Pauses whatever it is given (the member exists to own, not to read) and follows who owns partition 0. */
    private final ConsumerRebalanceListener rebalance = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            lose(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lose(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            consumer.pause(partitions);
            if (partitions.contains(owned) && !owner) {
                ownerships++;
                owner = true;
                LOG.info("this exporter holds checkpoint topic {} (consumer group {}.lease)", topic, topic);
            }
            firstAssignment.countDown();
        }

        private void lose(Collection<TopicPartition> partitions) {
            if (partitions.contains(owned) && owner) {
                owner = false;
                LOG.warn(
                        "this exporter lost checkpoint topic {} to another member of {}.lease; it writes no checkpoint until it "
                                + "holds it again",
                        topic,
                        topic);
            }
        }
    };

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            heartbeat.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
