package org.asynctask.exporter.provider;

import java.util.List;
import org.asynctask.exporter.task.Task;

/** One parsed list response. {@code nextToken} is null when the listing is complete. */
public record Page(List<Task> tasks, String nextToken) {
    public Page {
        tasks = List.copyOf(tasks);
        if (nextToken != null && nextToken.isEmpty()) {
            nextToken = null;
        }
    }

    public boolean last() {
        return nextToken == null;
    }
}
