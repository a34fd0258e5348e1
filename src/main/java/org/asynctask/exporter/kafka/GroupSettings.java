package org.asynctask.exporter.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.utils.Utils;
import org.asynctask.exporter.provider.PartitionKey;

/**
 * How the polled partitions are shared ({@code exporter.group.*}): in group mode every exporter with the same
 * {@code id} joins that Kafka consumer group, and Kafka assigns the shards (the partitions of the checkpoint
 * topic) among them. Without a group the exporter is the single owner of one shard, and a second one on the
 * same checkpoint topic is refused.
 *
 * @param id             the consumer group; null for the single owner
 * @param shards         how many shards (partitions of the checkpoint topic); 1 without a group
 * @param sessionTimeout how long Kafka waits for a silent member (killed, frozen, cut off) before its shards
 *                       go to another: in both modes, the longest a killed exporter holds up its successor
 */
public record GroupSettings(String id, int shards, Duration sessionTimeout) {
    /** The default number of shards in group mode: enough for a dozen members, few enough to cost nothing. */
    public static final int DEFAULT_SHARDS = 12;

    /**
     * Shorter than Kafka's 45 s, so that a killed exporter's shards move within seconds; long enough for a GC
     * pause or a broker restart not to cost a member its shards.
     */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

    public static final GroupSettings SINGLE = single(DEFAULT_SESSION_TIMEOUT);

    public GroupSettings {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1: " + shards);
        }
    }

    /** The single owner, on one shard. */
    public static GroupSettings single(Duration sessionTimeout) {
        return new GroupSettings(null, 1, sessionTimeout);
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
