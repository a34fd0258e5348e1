package org.asynctask.exporter.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

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

    /**
     * CPU nanoseconds so far of the JVM's own threads, which the management beans do not list, by kind (the name
     * less its number: "C2 CompilerThre", "GC Thread", "VM Thread"), from Linux's /proc; empty elsewhere.
     */
    static Map<String, Long> vmThreadsByKind() {
        Map<String, Long> byKind = new TreeMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return byKind;
        }
        try (Stream<Path> all = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) all::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                // pid (comm) state ...: utime and stime are the 14th and 15th fields, in clock ticks (1/100 s).
                String kind = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                        .replaceAll("#?\\d+$", "")
                        .trim();
                if (kind.contains("Compiler") || kind.startsWith("GC") || kind.startsWith("VM")) {
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    byKind.merge(kind, ticks * 10_000_000L, Long::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byKind;
    }
}
