package org.asynctask.exporter.poll;

import java.util.concurrent.atomic.AtomicLong;

/** Running totals since start, for progress lines (and later for metrics). */
public final class PollStats {
    public final AtomicLong polls = new AtomicLong();
    public final AtomicLong failedPolls = new AtomicLong();
    public final AtomicLong apiCalls = new AtomicLong();
    /** Old open tasks asked for one by one (see ScanSettings#rescanWindow). */
    public final AtomicLong lookups = new AtomicLong();

    public final AtomicLong events = new AtomicLong();
    public final AtomicLong droppedOpenTasks = new AtomicLong();
}
