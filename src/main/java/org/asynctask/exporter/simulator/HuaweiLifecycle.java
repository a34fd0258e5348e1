package org.asynctask.exporter.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.asynctask.exporter.simulator.SimTask.Step;

/** FunctionGraph invocation paths (docs/providers.md §4.4): WAIT, RUNNING, then SUCCESS or FAIL; some DISCARD while waiting. */
final class HuaweiLifecycle implements Lifecycle {

    @Override
    public List<Step> plan(Random r, long startMs, SimProfile profile) {
        List<Step> steps = new ArrayList<>();
        long t = startMs;
        steps.add(new Step("WAIT", t, ""));
        if (r.nextDouble() < 0.04) {
            steps.add(new Step("DISCARD", t + AlibabaLifecycle.between(r, 200, 1500), "discarded"));
            return steps;
        }
        t += AlibabaLifecycle.between(r, 20, 400);
        steps.add(new Step("RUNNING", t, ""));
        long run = r.nextDouble() < profile.longFraction()
                ? AlibabaLifecycle.jitter(r, profile.longTask().toMillis())
                : AlibabaLifecycle.jitter(r, profile.shortTask().toMillis());
        steps.add(
                r.nextDouble() < 0.08
                        ? new Step("FAIL", t + run, "function crashed")
                        : new Step("SUCCESS", t + run, ""));
        return steps;
    }

    @Override
    public String runningStatus() {
        return "RUNNING";
    }

    @Override
    public String arrivalStatus() {
        return "WAIT";
    }

    /** FunctionGraph shows no retry status. */
    @Override
    public String retryStatus() {
        return null;
    }

    @Override
    public String successStatus() {
        return "SUCCESS";
    }
}
