package org.asynctask.exporter.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.asynctask.exporter.app.Providers;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.FileCheckpointStore;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatorServer;

/** Builds exporter configurations from the one the simulator writes, with per-test overrides. */
public final class TestExporter {
    /**
     * How often the busy tests poll SCF. Its 20 requests a second for the account (our simulator enforces
     * them) cannot list their two SCF functions (15 tasks a second each), each task twice (by start time,
     * then by end time), every 300 ms ten a page: the polls waited for the limit for seconds and the lag
     * grew without end (1 s to 6 s in 20 s), so nothing was caught up after a restart or an outage.
     */
    public static final Duration SCF_INTERVAL = Duration.ofSeconds(1);

    private static final String SCF_SOURCE = "tencent-demo";

    /** Overrides that poll the simulator's SCF source every {@link #SCF_INTERVAL}, 20 a page, added to {@code global}. */
    public static Map<String, String> scfWithinItsRateLimit(Map<String, String> global) {
        Map<String, String> all = new LinkedHashMap<>(global);
        all.put("exporter.source." + SCF_SOURCE + ".interval", SCF_INTERVAL.toMillis() + "ms");
        all.put("exporter.source." + SCF_SOURCE + ".page-size", "20");
        return all;
    }

    private TestExporter() {}

    /** @param sourceOverrides keys to change in every source, e.g. {@code page-size} */
    public static ExporterConfig config(SimulatorServer sim, Map<String, String> sourceOverrides) {
        return config(sim, sourceOverrides, Map.of());
    }

    /** @param globalOverrides full keys to set, e.g. {@code exporter.sink} */
    public static ExporterConfig config(
            SimulatorServer sim, Map<String, String> sourceOverrides, Map<String, String> globalOverrides) {
        return ExporterConfig.parse(raw(sim, sourceOverrides, globalOverrides), System::getenv, Providers.catalog());
    }

    /** The simulator's configuration with overrides, as raw properties (to write for a child process). */
    public static Map<String, String> raw(
            SimulatorServer sim, Map<String, String> sourceOverrides, Map<String, String> globalOverrides) {
        return raw(sim.exporterConfig(), sourceOverrides, globalOverrides);
    }

    /** A configuration file (as the simulator writes it) with overrides, as raw properties. */
    public static Map<String, String> raw(
            Path configFile, Map<String, String> sourceOverrides, Map<String, String> globalOverrides) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(configFile)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> raw = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> raw.put(k, p.getProperty(k)));
        List<String> sources = raw.keySet().stream()
                .filter(k -> k.startsWith("exporter.source.") && k.endsWith(".provider"))
                .map(k -> k.substring("exporter.source.".length(), k.length() - ".provider".length()))
                .toList();
        sources.forEach(name -> sourceOverrides.forEach((k, v) -> raw.put("exporter.source." + name + "." + k, v)));
        // Any free port: tests and a developer's own exporter never fight over the default one.
        raw.put("exporter.metrics.port", "0");
        raw.putAll(globalOverrides);
        return raw;
    }

    /** Writes raw properties to a file, for a child process. */
    public static Path write(Map<String, String> raw, Path file) {
        Properties p = new Properties();
        p.putAll(raw);
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "written by a test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public static Path eventsDir(SimulatorServer sim) {
        return sim.exporterConfig().getParent().getParent().resolve("events");
    }

    /**
     * The file checkpoints as saved now, read as the exporter reads them (each snapshot with the saves
     * logged since), without the lock a running exporter holds. Empty before the first save.
     */
    public static Map<PartitionKey, Checkpoint> savedCheckpoints(ExporterConfig config) {
        if (!Files.isDirectory(config.checkpointDir())) {
            return Map.of();
        }
        try (FileCheckpointStore store = FileCheckpointStore.readOnly(config.checkpointDir())) {
            return store.loadAll();
        }
    }

    /** Busy functions, short tasks, and some long ones that outlive the re-scan window. */
    public static final SimProfile BUSY = new SimProfile(7, 15, Duration.ofMillis(400), Duration.ofSeconds(4), 0.15);

    public static final Map<String, String> FAST_POLLING = Map.of(
            "interval", "300ms",
            "page-size", "10",
            "safety-lag", "300ms",
            // Tasks open longer than 1s are looked up by id instead of holding the scan window open.
            "rescan-window", "1s",
            // Tasks open longer than that are checked in 10 turns: each within 3 s.
            "old-task-check-interval", "3s",
            "initial-lookback", "3h");

    /** No new tasks from now on; waits until the ones under way finished and every final status is published. */
    public static void stopArrivalsAndAwaitFinalStatuses(SimulatorServer sim) {
        sim.engine().stopArrivals();
        await().atMost(Duration.ofSeconds(60)).until(sim.engine()::quiet);
        awaitAllFinalStatuses(sim, Duration.ofSeconds(60));
    }

    public static void awaitAllFinalStatuses(SimulatorServer sim) {
        awaitAllFinalStatuses(sim, Duration.ofSeconds(30));
    }

    public static void awaitAllFinalStatuses(SimulatorServer sim, Duration atMost) {
        Await.allFinalStatuses(sim, eventsDir(sim), atMost);
    }
}
