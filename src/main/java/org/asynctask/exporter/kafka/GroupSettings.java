package org.asynctask.exporter.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;
import org.asynctask.exporter.provider.PartitionKey;

/**
 * How the polled partitions are shared ({@code exporter.group.*}): in group mode every exporter with the same
 * {@code id} joins that Kafka consumer group, and Kafka assigns the shards (the partitions of the checkpoint
 * topic) among them. Without a group the exporter is the single owner of one shard, and a second one on the
 * same checkpoint topic is refused.
 *
 * @param id     the consumer group; null for the single owner
 * @param shards how many shards (partitions of the checkpoint topic); 1 without a group
 */
public record GroupSettings(String id, int shards) {
    /** The default number of shards in group mode: enough for a dozen members, few enough to cost nothing. */
    public static final int DEFAULT_SHARDS = 12;

    public static final GroupSettings SINGLE = new GroupSettings(null, 1);

    public GroupSettings {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1: " + shards);
        }
    }

    public boolean grouped() {
        return id != null;
    }

    /**
     * The shard a partition belongs to, for good: the partition Kafka's default partitioner picks for its
     * checkpoint's key, so that a checkpoint record sits in its shard's partition whichever client wrote it.
     */
    public int shardOf(PartitionKey partition) {
        return shardOf(partition.id());
    }

    int shardOf(String checkpointKey) {
        return Utils.toPositive(Utils.murmur2(checkpointKey.getBytes(StandardCharsets.UTF_8))) % shards;
    }
}
