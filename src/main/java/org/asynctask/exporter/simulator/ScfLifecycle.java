package org.asynctask.exporter.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.asynctask.exporter.simulator.SimTask.Step;

/** SCF async event paths (docs/providers.md §5.3): RUNNING, then FINISHED, FAILED or ABORTED. */
final class ScfLifecycle implements Lifecycle {

    @Override
    public List<Step> plan(Random r, long startMs, SimProfile profile) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("RUNNING", startMs, ""));
        long run = r.nextDouble() < profile.longFraction()
                ? AlibabaLifecycle.jitter(r, profile.longTask().toMillis())
                : AlibabaLifecycle.jitter(r, profile.shortTask().toMillis());
        double fate = r.nextDouble();
        steps.add(new Step(fate < 0.06 ? "FAILED" : fate < 0.09 ? "ABORTED" : "FINISHED", startMs + run, ""));
        return steps;
    }

    @Override
    public String arrivalStatus() {
        return "RUNNING";
    }

    @Override
    public String runningStatus() {
        return "RUNNING";
    }

    /** SCF shows no retry status. */
    @Override
    public String retryStatus() {
        return null;
    }

    @Override
    public String successStatus() {
        return "FINISHED";
    }
}
