package org.asynctask.exporter.provider.fc3;

import java.util.Map;
import org.asynctask.exporter.provider.StatusTable;
import org.asynctask.exporter.task.TaskStatus;

/** FC 3.0 async task statuses (docs/providers.md §1.3). */
final class Fc3Statuses {
    private Fc3Statuses() {}

    static StatusTable table() {
        return new StatusTable(
                Fc3Provider.ID,
                Map.of(
                        "Enqueued", TaskStatus.QUEUED,
                        "Dequeued", TaskStatus.QUEUED,
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
