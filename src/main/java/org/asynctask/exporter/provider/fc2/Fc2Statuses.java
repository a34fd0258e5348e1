package org.asynctask.exporter.provider.fc2;

import java.util.Map;
import org.asynctask.exporter.provider.StatusTable;
import org.asynctask.exporter.task.TaskStatus;

/** FC 2.0 stateful async invocation statuses (docs/providers.md §2.3): FC 3.0's without Dequeued. */
final class Fc2Statuses {
    private Fc2Statuses() {}

    static StatusTable table() {
        return new StatusTable(
                Fc2Provider.ID,
                Map.of(
                        "Enqueued", TaskStatus.QUEUED,
                        "Running", TaskStatus.RUNNING,
                        "Retrying", TaskStatus.RETRYING,
                        "Stopping", TaskStatus.STOPPING,
                        "Succeeded", TaskStatus.SUCCEEDED,
                        "Failed", TaskStatus.FAILED,
                        "Stopped", TaskStatus.STOPPED,
                        "Expired", TaskStatus.EXPIRED,
                        "Invalid", TaskStatus.INVALID));
    }
}
