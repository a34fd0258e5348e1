package org.asynctask.exporter.provider.tencent;

import java.util.Map;
import org.asynctask.exporter.provider.StatusTable;
import org.asynctask.exporter.task.TaskStatus;

/** SCF async event statuses (docs/providers.md §5.3). */
final class ScfStatuses {
    private ScfStatuses() {}

    static StatusTable table() {
        return new StatusTable(
                ScfProvider.ID,
                Map.of(
                        "RUNNING", TaskStatus.RUNNING,
                        "FINISHED", TaskStatus.SUCCEEDED,
                        "ABORTED", TaskStatus.STOPPED,
                        "FAILED", TaskStatus.FAILED));
    }
}
