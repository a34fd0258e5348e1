package org.asynctask.exporter.kafka;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows that an exporter uses a checkpoint topic: while it runs, it is a member of the consumer group
 * {@code <checkpoint topic>.lease}, so the {@code checkpoints} command can refuse to change checkpoints
 * under it. Kafka ends the membership when the exporter stops, or {@value #SESSION_MS} ms after it
 * died. The member subscribes to the checkpoint topic with every partition paused: it never fetches.
 */
public final class CheckpointLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointLease.class);
    static final int SESSION_MS = 10_000;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread heartbeat;
    private final String topic;
    private volatile boolean closed;

    private CheckpointLease(KafkaSettings settings) {
        Properties p = settings.consumer(false);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group(settings));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "async-task-exporter@" + holderName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(SESSION_MS));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        this.consumer = new KafkaConsumer<>(p);
        this.topic = settings.checkpointTopic();
        this.heartbeat = new Thread(this::run, "checkpoint-lease");
        heartbeat.setDaemon(true);
    }

    /** Joins the lease group in the background (joining must not delay the first poll). */
    public static CheckpointLease hold(KafkaSettings settings) {
        CheckpointLease lease = new CheckpointLease(settings);
        lease.heartbeat.start();
        return lease;
    }

    /**
     * @throws IllegalStateException naming the holder when an exporter uses the checkpoint topic now
     */
    public static void refuseIfHeld(KafkaSettings settings) {
        String group = group(settings);
        try (Admin admin = Admin.create(settings.admin())) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            if (!d.members().isEmpty()) {
                throw new IllegalStateException("checkpoint topic " + settings.checkpointTopic() + " is held by a running exporter ("
                        + d.members().stream().map(m -> m.clientId() + " at " + m.host()).collect(Collectors.joining(", "))
                        + ", consumer group " + group + "); stop it first (a killed one lets go after "
                        + SESSION_MS / 1000 + " s)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking consumer group " + group, e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw new KafkaUnavailableException("cannot check whether an exporter holds checkpoint topic "
                        + settings.checkpointTopic() + " at " + settings.bootstrapServers() + ": " + e.getCause(), e);
            }
        }
    }

    static String group(KafkaSettings settings) {
        return settings.checkpointTopic() + ".lease";
    }

    private static String holderName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return ManagementFactory.getRuntimeMXBean().getPid() + "@" + host;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), noFetch);
            while (!closed) {
                consumer.poll(Duration.ofMillis(500));
            }
        } catch (WakeupException stopping) {
            // close() woke us up.
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("checkpoint lease: {}; the checkpoints command cannot see that this exporter runs", e.toString());
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Pauses whatever it is given: the member exists to be seen, not to read. */
    private final ConsumerRebalanceListener noFetch = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing was read, nothing to hand over.
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            consumer.pause(partitions);
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
