package org.asynctask.exporter.app;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.asynctask.exporter.kafka.CheckpointLease;
import org.asynctask.exporter.kafka.GroupSettings;
import org.asynctask.exporter.metrics.ExporterMetrics;
import org.asynctask.exporter.poll.PollScheduler;
import org.asynctask.exporter.poll.RequestRateLimiter;
import org.asynctask.exporter.provider.PartitionKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group mode: starts and stops the polls of the shards Kafka moves. A shard gained is polled at once (its
 * checkpoints are read on first use); a shard handed over stops taking new polls, and the hand-over waits
 * until the polls in flight have published and committed their page, so the next holder starts exactly where
 * this one stopped. Its partitions' metrics go: another member reports them now.
 */
final class ShardHandover implements CheckpointLease.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ShardHandover.class);
    /** Longer than any page takes; less than the consumer's max.poll.interval.ms (5 min), which would end the membership. */
    private static final Duration DRAIN = Duration.ofMinutes(2);

    private final GroupSettings group;
    private final PollScheduler scheduler;
    /** Drops what the poller keeps of partitions that moved. */
    private final Consumer<Predicate<PartitionKey>> forgetPolled;

    private final ExporterMetrics metrics;
    private final RequestRateLimiter rateLimiter;
    private final Set<Integer> polled = ConcurrentHashMap.newKeySet();

    ShardHandover(
            GroupSettings group,
            PollScheduler scheduler,
            Consumer<Predicate<PartitionKey>> forgetPolled,
            ExporterMetrics metrics,
            RequestRateLimiter rateLimiter) {
        this.group = group;
        this.scheduler = scheduler;
        this.forgetPolled = forgetPolled;
        this.metrics = metrics;
        this.rateLimiter = rateLimiter;
    }

    /** Each account's rate limit, in proportion to its partitions this member polls now. */
    void shareRateLimits() {
        rateLimiter.share(scheduler.ownedShareByRateLimitKey());
    }

    /** The partitions of the shards this exporter polls now. */
    Predicate<PartitionKey> owned() {
        return key -> polled.contains(group.shardOf(key));
    }

    @Override
    public void assigned(Set<Integer> shards) {
        polled.addAll(shards);
        shareRateLimits();
        metrics.shardsGained(shards.size());
        metrics.shardsHeld(polled.size());
    }

    @Override
    public void revoking(Set<Integer> shards) {
        long started = System.nanoTime();
        polled.removeAll(shards);
        metrics.shardsHeld(polled.size());
        Predicate<PartitionKey> moved = key -> shards.contains(group.shardOf(key));
        try {
            if (!scheduler.awaitNoneInFlight(moved, DRAIN)) {
                LOG.warn(
                        "group {}: polls of shard(s) {} still running after {} s; handing them over anyway (their late "
                                + "writes are fenced)",
                        group.id(),
                        shards,
                        DRAIN.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Only now: the polls in flight keep this member's share of their account's limit, and nobody else
        // polls these shards before the rebalance's next round, which waits for this member.
        shareRateLimits();
        forgetPolled.accept(moved);
        metrics.forgetAll(moved);
        metrics.handedOver(Duration.ofNanos(System.nanoTime() - started));
    }
}
