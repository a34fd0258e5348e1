package org.asynctask.exporter.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * The consumer group of the {@link CheckpointLease} seen from outside, through the admin client: who is in it
 * now and which shards each holds, for the status, the group's health, the refusal of a second owner and the
 * {@code checkpoints} command (which must not change checkpoints under a running exporter).
 */
public final class LeaseGroup {
    private LeaseGroup() {}

    /** {@code exporter.group.id} in group mode, else {@code <checkpoint topic>.lease}. */
    public static String name(KafkaSettings settings) {
        return settings.group().grouped() ? settings.group().id() : settings.checkpointTopic() + ".lease";
    }

    /** The members other than {@code clientId}, as {@code client at host}; empty when none (or unknown). */
    static String othersThan(KafkaSettings settings, String clientId) {
        return describe(settings).stream()
                .filter(m -> !m.clientId().equals(clientId))
                .map(LeaseGroup::named)
                .collect(Collectors.joining(", "));
    }

    /**
     * Why this exporter may not read or write a shard: it does not hold it, and who does.
     *
     * @param leaseName this exporter's name in the group; null before it joined
     */
    static KafkaUnavailableException notHeld(KafkaSettings settings, String leaseName, int shard) {
        String others = leaseName == null ? "" : othersThan(settings, leaseName);
        String what = settings.group().grouped()
                ? "shard " + shard + " of checkpoint topic " + settings.checkpointTopic()
                : "checkpoint topic " + settings.checkpointTopic();
        return new KafkaUnavailableException(
                "this exporter does not hold " + what + (others.isEmpty() ? " yet" : "; " + others + " does")
                        + " (consumer group " + name(settings) + "); it waits, and takes over once the holder lets go",
                null);
    }

    /** How many members the group has now. */
    public static int memberCount(KafkaSettings settings) {
        return describe(settings).size();
    }

    /** Every member of the group with the shards Kafka assigned it (a standby with none). */
    public static Map<String, Set<Integer>> members(KafkaSettings settings) {
        Map<String, Set<Integer>> out = new TreeMap<>();
        for (MemberDescription m : describe(settings)) {
            out.put(
                    named(m),
                    m.assignment().topicPartitions().stream()
                            .filter(tp -> tp.topic().equals(settings.checkpointTopic()))
                            .map(TopicPartition::partition)
                            .collect(Collectors.toCollection(TreeSet::new)));
        }
        return out;
    }

    /**
     * @throws IllegalStateException naming the holders when an exporter uses the checkpoint topic now
     */
    public static void refuseIfHeld(KafkaSettings settings) {
        List<MemberDescription> members = describe(settings);
        if (!members.isEmpty()) {
            throw new IllegalStateException("checkpoint topic " + settings.checkpointTopic()
                    + " is held by a running exporter ("
                    + members.stream().map(LeaseGroup::named).collect(Collectors.joining(", "))
                    + ", consumer group " + name(settings) + "); stop it first (a killed one lets go after "
                    + settings.group().sessionTimeout().toSeconds() + " s)");
        }
    }

    private static String named(MemberDescription m) {
        return m.clientId() + " at " + m.host();
    }

    private static List<MemberDescription> describe(KafkaSettings settings) {
        String group = name(settings);
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
}
