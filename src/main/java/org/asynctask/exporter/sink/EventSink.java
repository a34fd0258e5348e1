package org.asynctask.exporter.sink;

import java.util.List;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.task.StatusChange;

/**
 * Where status changes go. {@link #publish} returns only when every change is durable (file
 * flushed, broker acknowledged): the caller then saves the checkpoint that covers them.
 */
public interface EventSink extends AutoCloseable {

    /**
     * The changes of one batch of one partition (what the poll route calls), in order. The partition matters to a
     * sink that routes by it (Kafka's shard transactions in group mode); the others ignore it.
     */
    void publish(PartitionKey partition, List<StatusChange> changes);

    /**
     * The poll failed after {@link #publish}: drop what is not yet final (an open Kafka transaction).
     * Sinks that make events durable inside {@code publish} have nothing to drop.
     */
    default void abandon() {}

    @Override
    void close();
}
