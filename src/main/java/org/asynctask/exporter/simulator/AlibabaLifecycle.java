package org.asynctask.exporter.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.asynctask.exporter.simulator.SimTask.Step;

/**
 * Alibaba FC task paths (docs/providers.md §1.3, §2.3): Enqueued, (FC 3.0 only: Dequeued,) Running, then
 * Succeeded, or Retrying and Running again, or Failed after retries, or Stopping then Stopped; some
 * expire or are invalid before running; a share runs long.
 */
final class AlibabaLifecycle implements Lifecycle {
    private final boolean dequeued;

    /** @param dequeued FC 3.0 has a Dequeued status between Enqueued and Running; FC 2.0 has not */
    AlibabaLifecycle(boolean dequeued) {
        this.dequeued = dequeued;
    }

    @Override
    public List<Step> plan(Random r, long startMs, SimProfile profile) {
        List<Step> steps = new ArrayList<>();
        long t = startMs;
        steps.add(new Step("Enqueued", t, ""));
        double fate = r.nextDouble();
        if (fate < 0.03) {
            steps.add(new Step("Expired", t + between(r, 200, 1500), "exceeded maxAsyncEventAgeInSeconds"));
            return steps;
        }
        if (fate < 0.05) {
            steps.add(new Step("Invalid", t + between(r, 100, 800), "function deleted"));
            return steps;
        }
        t += between(r, 20, 300);
        if (dequeued) {
            steps.add(new Step("Dequeued", t, ""));
        }
        t += between(r, 20, 300);
        steps.add(new Step("Running", t, ""));
        long run = r.nextDouble() < profile.longFraction()
                ? jitter(r, profile.longTask().toMillis())
                : jitter(r, profile.shortTask().toMillis());
        double outcome = r.nextDouble();
        if (outcome < 0.10) {
            int attempts = 1 + r.nextInt(2);
            for (int i = 0; i < attempts; i++) {
                t += jitter(r, profile.shortTask().toMillis() / 2);
                steps.add(new Step("Retrying", t, "{\"Error\":\"UnhandledInvocationError\"}"));
                t += between(r, 50, 400);
                steps.add(new Step("Running", t, ""));
            }
            t += run;
            steps.add(new Step(
                    outcome < 0.05 ? "Failed" : "Succeeded", t, outcome < 0.05 ? "UnhandledInvocationError" : ""));
        } else if (outcome < 0.14) {
            t += run / 2;
            steps.add(new Step("Stopping", t, "StopAsyncTask"));
            t += between(r, 100, 800);
            steps.add(new Step("Stopped", t, "StopAsyncTask"));
        } else {
            t += run;
            steps.add(new Step("Succeeded", t, ""));
        }
        return steps;
    }

    @Override
    public String arrivalStatus() {
        return "Enqueued";
    }

    @Override
    public String successStatus() {
        return "Succeeded";
    }

    @Override
    public String runningStatus() {
        return "Running";
    }

    @Override
    public String retryStatus() {
        return "Retrying";
    }

    static long between(Random r, long lo, long hi) {
        return lo + (long) (r.nextDouble() * (hi - lo));
    }

    /** 50% to 150% of a typical duration. */
    static long jitter(Random r, long typical) {
        return Math.max(1, (long) (typical * (0.5 + r.nextDouble())));
    }
}
