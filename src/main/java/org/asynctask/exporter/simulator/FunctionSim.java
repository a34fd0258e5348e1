package org.asynctask.exporter.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * One simulated function: arrivals (Poisson, seeded), its tasks in start-time order, and the
 * unfinished ones that still have steps to apply.
 */
public final class FunctionSim {
    final String provider;
    final String namespace;
    final String name;
    final List<String> qualifiers;
    final Lifecycle lifecycle;
    final SimProfile profile;
    final Random random;
    final List<SimTask> tasks = new ArrayList<>();
    /**
     * Unfinished tasks by the time of their next step: a tick touches only the tasks whose step is due,
     * not every open one (tens of thousands of long-running tasks in the benchmarks).
     */
    final PriorityQueue<SimTask> active = new PriorityQueue<>(Comparator.comparingLong(SimTask::nextStepMs));

    long nextArrivalMs;
    long sequence;
    /** When something next happens to it; its key in the engine's queue, changed only while it is out of the queue. */
    long dueMs;

    FunctionSim(
            String provider,
            String namespace,
            String name,
            List<String> qualifiers,
            Lifecycle lifecycle,
            SimProfile profile,
            long startMs) {
        this.provider = provider;
        this.namespace = namespace;
        this.name = name;
        this.qualifiers = List.copyOf(qualifiers);
        this.lifecycle = lifecycle;
        this.profile = profile;
        this.random = new Random(profile.seed() * 31 + (provider + "/" + namespace + "/" + name).hashCode());
        this.nextArrivalMs = startMs + interArrival();
    }

    long interArrival() {
        if (profile.tasksPerSecond() <= 0) {
            return Long.MAX_VALUE / 4;
        }
        return Math.max(1, (long) (-Math.log(1 - random.nextDouble()) * 1000 / profile.tasksPerSecond()));
    }

    public String provider() {
        return provider;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    /** Tasks in start-time order (ties in arrival order). Read under the engine's lock. */
    public List<SimTask> tasks() {
        return tasks;
    }

    /** Index of the first task that started at or after {@code startMs} (tasks are in start order). */
    int firstStartedAtOrAfter(long startMs) {
        int lo = 0;
        int hi = tasks.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (tasks.get(mid).startedMs() < startMs) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Ground-truth partition label: {@code [namespace/]name}. */
    String label() {
        return namespace == null ? name : namespace + "/" + name;
    }
}
