package org.asynctask.exporter.sink;

import java.util.List;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.task.StatusChange;

/** A sink where every partition's changes go to the same place (files, a Camel endpoint): the partition is not needed. */
public interface SinglePlaceSink extends EventSink {
    void publish(List<StatusChange> changes);

    @Override
    default void publish(PartitionKey partition, List<StatusChange> changes) {
        publish(changes);
    }
}
