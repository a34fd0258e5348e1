package org.asynctask.exporter.simulator;

import java.util.ArrayList;
import java.util.List;
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
    final List<SimTask> active = new ArrayList<>();
    long nextArrivalMs;
    long sequence;

    FunctionSim(String provider, String namespace, String name, List<String> qualifiers, Lifecycle lifecycle,
                SimProfile profile, long startMs) {
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

    public String provider() { return provider; }
    public String namespace() { return namespace; }
    public String name() { return name; }

    /** Tasks in start-time order (ties in arrival order). Read under the engine's lock. */
    public List<SimTask> tasks() {
        return tasks;
    }

    /** Ground-truth partition label: {@code [namespace/]name}. */
    String label() {
        return namespace == null ? name : namespace + "/" + name;
    }
}
