package org.asynctask.exporter.provider.huawei;

import java.util.Map;
import org.asynctask.exporter.provider.StatusTable;
import org.asynctask.exporter.task.TaskStatus;

/** FunctionGraph async invocation statuses (docs/providers.md §4.4). */
final class HuaweiStatuses {
    private HuaweiStatuses() {}

    static StatusTable table() {
        return new StatusTable(
                FunctionGraphProvider.ID,
                Map.of(
                        "WAIT", TaskStatus.QUEUED,
                        "RUNNING", TaskStatus.RUNNING,
                        "SUCCESS", TaskStatus.SUCCEEDED,
                        "FAIL", TaskStatus.FAILED,
                        "DISCARD", TaskStatus.DISCARDED));
    }
}
