package org.asynctask.exporter.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of what a benchmark measures alone (issue 24): the whole process (its threads, GC, JIT) less the
 * threads of the fixtures it runs against (a simulator, a replay server, a Kafka broker, the benchmark's own
 * main thread). The fixtures' threads are those alive before the measured code started, but the JIT compilers,
 * which then work mostly for the measured code; and the simulator's handler threads, which it starts on demand.
 * The GC the fixtures cause is counted to the measured code: the process has one heap.
 */
final class CpuMeter {
    private final Set<Long> fixtures;
    private final long processStart;
    private final Map<Long, Long> threadStart;

    private CpuMeter(Set<Long> fixtures) {
        this.fixtures = fixtures;
        this.processStart = processCpu();
        this.threadStart = threadCpu();
    }

    /** The fixtures' threads: call before the measured code starts any thread of its own. */
    static Set<Long> fixtureThreads() {
        Set<Long> ids = new HashSet<>();
        Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.getName().contains("CompilerThread"))
                .forEach(t -> ids.add(t.getId()));
        return ids;
    }

    /** Starts measuring now, leaving out {@code fixtures}. */
    static CpuMeter start(Set<Long> fixtures) {
        return new CpuMeter(Set.copyOf(fixtures));
    }

    /** CPU nanoseconds since {@link #start} of the process less the fixtures' threads. */
    long measuredNanos() {
        long fixtureNanos = 0;
        var threads = ManagementFactory.getThreadMXBean();
        for (Map.Entry<Long, Long> now : threadCpu().entrySet()) {
            long id = now.getKey();
            var info = threads.getThreadInfo(id);
            boolean fixture = fixtures.contains(id)
                    || (info != null && info.getThreadName().startsWith("simulator-http"));
            if (fixture) {
                fixtureNanos += now.getValue() - threadStart.getOrDefault(id, 0L);
            }
        }
        return processCpu() - processStart - fixtureNanos;
    }

    private static long processCpu() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Map<Long, Long> threadCpu() {
        var threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            cpu.put(id, Math.max(0, threads.getThreadCpuTime(id)));
        }
        return cpu;
    }
}
