package org.asynctask.exporter.health;

import org.asynctask.exporter.secret.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one output of the exporter (the sink, the checkpoint store) works, as its last use showed:
 * DOWN from a failed write or read until one succeeds again. A poll whose output fails is retried with
 * back-off, so the output is tried again by itself and comes back UP once it works.
 */
public final class OutputHealth {
    private static final Logger LOG = LoggerFactory.getLogger(OutputHealth.class);

    private final String name;
    private final String description;
    private volatile String problem;
    private volatile long sinceMs;

    /**
     * @param name        the health check's name, e.g. {@code sink}
     * @param description what it is, for messages, e.g. {@code file sink data/events}
     */
    public OutputHealth(String name, String description) {
        this.name = name;
        this.description = description;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public void ok() {
        if (problem != null) {
            LOG.info("{} works again", description);
            problem = null;
        }
    }

    public void failed(Throwable e) {
        if (problem == null) {
            sinceMs = System.currentTimeMillis();
        }
        problem = e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Why it does not work, credentials masked; null while it works. */
    public String problem() {
        String p = problem;
        return p == null ? null : Redaction.scrub(description + ": " + p);
    }

    /** Since when it has not worked (epoch ms); meaningful only while {@link #problem()} is set. */
    public long sinceMs() {
        return sinceMs;
    }
}
