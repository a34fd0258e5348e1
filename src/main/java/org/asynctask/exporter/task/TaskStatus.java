package org.asynctask.exporter.task;

/**
 * The provider-independent status of an async task (schema v1). Each provider maps its own status
 * strings onto these; the raw string is always kept in {@link Task#providerStatus()}.
 */
public enum TaskStatus {
    QUEUED(false),
    RUNNING(false),
    RETRYING(false),
    STOPPING(false),
    SUCCEEDED(true),
    FAILED(true),
    STOPPED(true),
    EXPIRED(true),
    INVALID(true),
    DISCARDED(true),
    /** A provider status this version does not know. Treated as still open, so the task keeps being watched. */
    UNKNOWN(false);

    private final boolean terminal;

    TaskStatus(boolean terminal) {
        this.terminal = terminal;
    }

    /** True when the task can no longer change status. */
    public boolean terminal() {
        return terminal;
    }
}
