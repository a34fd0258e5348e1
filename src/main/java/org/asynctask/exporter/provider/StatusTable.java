package org.asynctask.exporter.provider;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.asynctask.exporter.task.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's raw-to-normalized status mapping. An unknown raw status maps to UNKNOWN (still open,
 * so the task keeps being watched), is logged once per value and counted, and is never dropped.
 */
public final class StatusTable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusTable.class);

    private final String provider;
    private final Map<String, TaskStatus> table;
    private final Set<String> reportedUnknown = ConcurrentHashMap.newKeySet();
    private final AtomicLong unknownSeen = new AtomicLong();

    public StatusTable(String provider, Map<String, TaskStatus> table) {
        this.provider = provider;
        this.table = Map.copyOf(table);
    }

    public TaskStatus normalize(String raw) {
        TaskStatus status = raw == null ? null : table.get(raw);
        if (status != null) {
            return status;
        }
        unknownSeen.incrementAndGet();
        if (reportedUnknown.add(String.valueOf(raw))) {
            LOG.warn(
                    "{}: unknown task status '{}' mapped to UNKNOWN (kept in providerStatus; the task stays watched)",
                    provider,
                    raw);
        }
        return TaskStatus.UNKNOWN;
    }

    /** The raw statuses this table knows. */
    public Set<String> known() {
        return table.keySet();
    }

    public long unknownSeen() {
        return unknownSeen.get();
    }
}
