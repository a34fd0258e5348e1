package org.asynctask.exporter.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the exporter's topics when they are missing (many clusters disable auto-creation), and
 * returns only once every partition of them is served by its leader.
 *
 * <p>That wait is what keeps exactly-once from stalling on a new topic (KAFKA-15591): a producer's
 * first request to a partition the broker has not finished creating fails (NOT_LEADER_OR_FOLLOWER)
 * while its second one, a few milliseconds later, is accepted; a broker accepts any first sequence
 * number from a producer it does not know yet, so the retried first request is then out of order for
 * good (OutOfOrderSequenceException every retry, until the delivery timeout fails the transaction).
 * With 48 partitions this happened in 11 of 20 fresh topics here; after the wait, in none.
 */
final class Topics {
    private Topics() {}

    /** The largest record the exporter writes (a checkpoint with hundreds of thousands of tracked tasks). */
    static final int MAX_RECORD_BYTES = 64 << 20;

    /**
     * How long a broker may take to answer at all before the caller hears of it: the admin client's own
     * API timeout (the delivery timeout, 30 s by default) would leave a start with an unreachable broker
     * silent that long, and hold a stop as long.
     */
    static final Duration FIRST_ANSWER = Duration.ofSeconds(3);

    /**
     * The events topics, with the broker's default partitions.
     *
     * @throws KafkaUnavailableException when no broker answers within {@link #FIRST_ANSWER}, or the topics cannot be made
     */
    static void ensure(Properties adminProps, Set<String> topics) {
        ensure(adminProps, topics, Map.of());
    }

    /** The events topic and the alert topic when there is one (see {@link #ensure(Properties, Set)}). */
    static void ensureEventTopics(KafkaSettings settings) {
        Set<String> topics = new HashSet<>(Set.of(settings.topic()));
        if (settings.alertTopic() != null) {
            topics.add(settings.alertTopic());
        }
        ensure(settings.admin(), topics);
    }

    /**
     * A compacted topic (checkpoints: only the newest per key matters), made with {@code partitions} when missing.
     *
     * @return how many partitions it has
     */
    static int ensureCompacted(Properties adminProps, String topic, int partitions) {
        return ensure(adminProps, Set.of(topic), Map.of(topic, partitions)).get(topic);
    }

    /**
     * @param compacted topics that must be compacted, with the partitions they are made with
     * @return the partitions of each topic
     */
    private static Map<String, Integer> ensure(
            Properties adminProps, Set<String> topics, Map<String, Integer> compacted) {
        try (Admin admin = Admin.create(adminProps)) {
            answers(admin, adminProps, FIRST_ANSWER, ", so topics " + topics + " cannot be checked or created");
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (String t : topics) {
                if (!existing.contains(t)) {
                    NewTopic topic = new NewTopic(t, Optional.ofNullable(compacted.get(t)), Optional.empty());
                    if (compacted.containsKey(t)) {
                        // A checkpoint holds every tracked task of its function: it can outgrow Kafka's 1 MB default.
                        topic.configs(Map.of(
                                "cleanup.policy", "compact", "max.message.bytes", Integer.toString(MAX_RECORD_BYTES)));
                    }
                    missing.add(topic);
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return awaitLeaders(admin, topics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while creating topics " + topics, e);
        } catch (KafkaUnavailableException e) {
            throw e;
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new KafkaUnavailableException(
                    "cannot create or list topics " + topics + " at " + adminProps.get("bootstrap.servers") + ": "
                            + cause,
                    cause);
        }
    }

    /**
     * A ListOffsets answer comes from the partition's leader once it serves the partition (the admin client
     * retries NOT_LEADER_OR_FOLLOWER and UNKNOWN_TOPIC_OR_PARTITION until its API timeout), so after this a
     * produce request is not refused for a partition still being created.
     */
    private static Map<String, Integer> awaitLeaders(Admin admin, Set<String> topics)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        Map<String, Integer> partitions = new HashMap<>();
        describe(admin, topics).forEach((topic, description) -> {
            partitions.put(topic, description.partitions().size());
            description
                    .partitions()
                    .forEach(p -> ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        });
        admin.listOffsets(ends).all().get();
        return partitions;
    }

    /** The topics' descriptions; a topic created a moment ago may not be known to the broker asked yet. */
    private static Map<String, TopicDescription> describe(Admin admin, Set<String> topics)
            throws InterruptedException, ExecutionException {
        for (int attempt = 1; ; attempt++) {
            try {
                return admin.describeTopics(topics).allTopicNames().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt == 50) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** @throws KafkaUnavailableException when no broker answers within {@code timeout} */
    static void reachable(Properties adminProps, Duration timeout) {
        try (Admin admin = Admin.create(adminProps)) {
            answers(admin, adminProps, timeout, "");
        }
    }

    /** @param consequence what cannot be done then, for the message */
    private static void answers(Admin admin, Properties adminProps, Duration timeout, String consequence) {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId()
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException(
                    "interrupted while reaching Kafka at " + adminProps.get("bootstrap.servers"), e);
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new KafkaUnavailableException(
                    "Kafka at " + adminProps.get("bootstrap.servers") + " does not answer within " + timeout.toSeconds()
                            + " s" + consequence + " (" + cause + ")",
                    cause);
        }
    }
}
