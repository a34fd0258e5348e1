package org.asynctask.exporter.sink;

import java.util.List;
import org.asynctask.exporter.task.StatusChange;

/**
 * Where status changes go. {@link #publish} returns only when every change is durable (file
 * flushed, broker acknowledged): the caller then saves the checkpoint that covers them.
 */
public interface EventSink extends AutoCloseable {

    void publish(List<StatusChange> changes);

    @Override
    void close();
}
