package org.asynctask.exporter.simulator;

import java.util.List;
import java.util.Random;

/** How tasks of one provider move through its statuses: plans a task's whole path at arrival. */
public interface Lifecycle {

    /** The planned path; the first step is the arrival status at {@code startMs}, the last one is final. */
    List<SimTask.Step> plan(Random random, long startMs, SimProfile profile);

    String arrivalStatus();

    String runningStatus();

    /** The status a retry goes through, or null when the provider has none. */
    String retryStatus();

    String successStatus();
}
