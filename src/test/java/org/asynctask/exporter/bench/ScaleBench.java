package org.asynctask.exporter.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.asynctask.exporter.app.ExporterApp;
import org.asynctask.exporter.app.PollTargets;
import org.asynctask.exporter.app.Providers;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.metrics.PartitionState;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.simulator.Faults;
import org.asynctask.exporter.simulator.SimPopulation;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.TestExporter;

/**
 * The scale part ({@code -Dbench.only=scale}): one exporter against the simulators serving 2,500 functions
 * of each provider (10,000 partitions, in sources of 250 with a key each, as {@code simulate --functions
 * 2500} writes them), each polled every 30 s. Measures how long until every partition has completed a
 * poll, whether every partition is then polled on time, the heap the exporter retains, and /metrics.
 */
final class ScaleBench {
    private final int perProvider = Integer.getInteger("bench.scale.functions", 2_500);
    private final Path root;

    ScaleBench(Path root) {
        this.root = root;
    }

    /** @return the table rows: what, figure, target */
    List<String[]> run() throws Exception {
        List<String[]> rows = new ArrayList<>();
        Path dir = Files.createDirectories(root.resolve("scale"));
        try (SimulatorServer sim = SimulatorServer.start(
                0, dir, SimProfile.scale(9), Clock.systemUTC(), Faults.none(), SimPopulation.functions(perProvider))) {
            ExporterConfig config = ExporterConfig.parse(
                    TestExporter.raw(sim, Map.of(), Map.of()), System::getenv, Providers.catalog());
            int partitions = PollTargets.of(config).size();
            Duration interval = config.sources().get(0).interval();
            long heapBefore = usedHeap();
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                long start = System.nanoTime();
                app.start();
                long deadline = start + Duration.ofMinutes(5).toNanos();
                while (app.partitionStates().stream()
                                .anyMatch(s -> app.metrics().snapshot(s.key()) == null)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                long firstPolls = app.partitionStates().stream()
                        .filter(s -> app.metrics().snapshot(s.key()) != null)
                        .count();
                rows.add(new String[] {
                    String.format(
                            Locale.ROOT,
                            "scale: %,d partitions (%,d functions of each provider, sources of %d, "
                                    + "interval %d s): time until every partition completed its first poll",
                            partitions,
                            perProvider,
                            SimPopulation.PER_SOURCE,
                            interval.toSeconds()),
                    firstPolls < partitions
                            ? String.format(Locale.ROOT, "only %,d of %,d in 5 min", firstPolls, partitions)
                            : String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9),
                    "< interval"
                });
                double onTime = onTime(app, interval, interval.multipliedBy(3));
                rows.add(new String[] {
                    "scale: partitions polled within interval + 1 s, every poll of 3 intervals in the steady state",
                    String.format(Locale.ROOT, "%.2f %%", 100 * onTime),
                    "100 %"
                });
                long heap = usedHeap() - heapBefore;
                rows.add(new String[] {
                    "scale: heap the exporter retains (after GC, less the simulator's)",
                    String.format(
                            Locale.ROOT, "%,.0f MB (%,.1f KB per partition)", heap / 1e6, heap / 1e3 / partitions),
                    ""
                });
                HttpClient http = HttpClient.newHttpClient();
                List<Long> nanos = new ArrayList<>();
                long bytes = 0;
                for (int i = 0; i < 3; i++) {
                    long t = System.nanoTime();
                    bytes = http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + app.metricsPort() + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofByteArray())
                            .body()
                            .length;
                    nanos.add(System.nanoTime() - t);
                }
                nanos.sort(null);
                rows.add(new String[] {
                    "scale: /metrics size and scrape time (median of 3)",
                    String.format(
                            Locale.ROOT,
                            "%,.1f MB (%,.0f bytes per partition), %,.0f ms",
                            bytes / 1e6,
                            bytes / (double) partitions,
                            nanos.get(1) / 1e6),
                    "≤ 2 KB per partition"
                });
            }
        }
        return rows;
    }

    /**
     * Watches every partition's poll starts for {@code window}: the share of partitions whose polls in it all
     * followed the previous one (or the window's start) within interval + 1 s, and the window's end too.
     */
    private static double onTime(ExporterApp app, Duration interval, Duration window) throws InterruptedException {
        long allowed = interval.toMillis() + 1_000;
        Map<PartitionKey, Long> lastStart = new HashMap<>();
        Map<PartitionKey, Boolean> ok = new HashMap<>();
        long from = System.currentTimeMillis();
        long to = from + window.toMillis();
        app.partitionStates().forEach(s -> {
            lastStart.put(s.key(), s.lastPollMs());
            ok.put(s.key(), true);
        });
        while (System.currentTimeMillis() < to) {
            for (PartitionState s : app.partitionStates()) {
                Long last = lastStart.get(s.key());
                if (last != null && s.lastPollMs() != last) {
                    if (s.lastPollMs() - Math.max(last, from - allowed) > allowed) {
                        ok.put(s.key(), false);
                    }
                    lastStart.put(s.key(), s.lastPollMs());
                }
            }
            Thread.sleep(250);
        }
        lastStart.forEach((key, last) -> {
            if (to - last > allowed) {
                ok.put(key, false);
            }
        });
        return ok.values().stream().filter(b -> b).count() / (double) ok.size();
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
