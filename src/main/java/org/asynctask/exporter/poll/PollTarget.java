package org.asynctask.exporter.poll;

import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.TaskProvider;

/** A partition together with what is needed to poll it. */
public record PollTarget(PartitionKey key, SourceConfig source, TaskProvider provider) {
    @Override
    public String toString() {
        return key.displayName();
    }
}
