package org.asynctask.exporter.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each API request reached the simulators ({@link System#nanoTime()}), per provider: lets tests and
 * benchmarks compare how requests are paced. Keeps the latest {@value #KEEP} per provider, so a
 * long-running demo does not grow.
 */
public final class RequestLog {
    private static final int KEEP = 100_000;
    private final Map<String, ArrayDeque<Long>> times = new HashMap<>();

    synchronized void record(String provider) {
        ArrayDeque<Long> q = times.computeIfAbsent(provider, p -> new ArrayDeque<>());
        if (q.size() == KEEP) {
            q.pollFirst();
        }
        q.addLast(System.nanoTime());
    }

    /** The arrival times of the provider's requests, oldest first. */
    public synchronized List<Long> times(String provider) {
        return new ArrayList<>(times.getOrDefault(provider, new ArrayDeque<>()));
    }
}
