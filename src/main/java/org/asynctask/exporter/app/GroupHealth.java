package org.asynctask.exporter.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.kafka.CheckpointLease;
import org.asynctask.exporter.kafka.GroupSettings;
import org.asynctask.exporter.kafka.KafkaCheckpointStore;
import org.asynctask.exporter.kafka.KafkaSettings;
import org.asynctask.exporter.kafka.LeaseGroup;

/** Group mode's part of health and of {@code /status}: whether this member can poll its share, and who holds what. */
final class GroupHealth {
    private final KafkaSettings kafka;
    private final KafkaCheckpointStore store;

    GroupHealth(KafkaSettings kafka, KafkaCheckpointStore store) {
        this.kafka = kafka;
        this.store = store;
    }

    /**
     * Why this exporter is not ready as a member of its group now, else null: Kafka has not answered its join,
     * the membership ended, or it holds no shard while the group has fewer members than shards. The last is a
     * member that joined a group: the cooperative rebalance gives it nothing in its first round and its share
     * in the second. Ready before that, it would let an orchestrator stop the member it replaces in the
     * middle of that rebalance, and a member that leaves then is waited for until its session times out
     * (GroupIT's rolling restart: a partition went unpolled for 10.7 s).
     */
    String problem() {
        CheckpointLease lease = store.lease();
        GroupSettings group = kafka.group();
        if (lease == null || !lease.member()) {
            return "not a member of consumer group " + group.id() + " (Kafka at " + kafka.bootstrapServers()
                    + " has not answered the join, or the membership ended)";
        }
        if (lease.held().isEmpty()) {
            int members;
            try {
                members = LeaseGroup.memberCount(kafka);
            } catch (RuntimeException e) {
                return "holds no shard, and consumer group " + group.id() + " cannot be described: " + e.getMessage();
            }
            if (members < group.shards()) {
                return "holds no shard yet: consumer group " + group.id() + " is rebalancing (" + members
                        + " member(s), " + group.shards() + " shards)";
            }
        }
        return null;
    }

    /** The group part of {@code /status}: the group, this member and its shards, and who holds the others. */
    ObjectNode status() {
        ObjectNode g = Json.MAPPER.createObjectNode();
        GroupSettings group = kafka.group();
        g.put("id", group.id()).put("shards", group.shards());
        String problem = problem();
        g.put("status", problem == null ? "UP" : "DOWN");
        if (problem != null) {
            g.put("reason", problem);
        }
        CheckpointLease lease = store.lease();
        if (lease == null) {
            return g.put("member", "not joined yet");
        }
        g.put("member", lease.name());
        lease.held().forEach(g.putArray("held")::add);
        try {
            ObjectNode members = g.putObject("members");
            LeaseGroup.members(kafka).forEach((member, shards) -> shards.forEach(members.putArray(member)::add));
        } catch (RuntimeException e) {
            g.put("members", "unknown: " + e.getMessage());
        }
        return g;
    }
}
