package org.asynctask.exporter.health;

import java.util.List;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.sink.EventSink;
import org.asynctask.exporter.sink.SinkException;
import org.asynctask.exporter.task.StatusChange;

/**
 * The sink, with its {@link OutputHealth} kept by every publish that had something to write. Its failures,
 * of whatever sink, are {@link SinkException}s: the poll route handles them as one kind.
 */
public final class MonitoredSink implements EventSink {
    private final EventSink sink;
    private final OutputHealth health;

    public MonitoredSink(EventSink sink, OutputHealth health) {
        this.sink = sink;
        this.health = health;
    }

    @Override
    public void publish(PartitionKey partition, List<StatusChange> changes) {
        monitored(changes, () -> sink.publish(partition, changes));
    }

    private void monitored(List<StatusChange> changes, Runnable publish) {
        if (changes.isEmpty()) {
            publish.run();
            return;
        }
        try {
            publish.run();
        } catch (RuntimeException e) {
            health.failed(e);
            throw e instanceof SinkException known ? known : new SinkException(e.getMessage(), e);
        }
        health.ok();
    }

    @Override
    public void abandon() {
        sink.abandon();
    }

    @Override
    public void close() {
        sink.close();
    }
}
