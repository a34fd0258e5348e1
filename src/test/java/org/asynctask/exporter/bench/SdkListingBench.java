package org.asynctask.exporter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.huaweicloud.sdk.functiongraph.v2.FunctionGraphClient;
import com.huaweicloud.sdk.functiongraph.v2.model.ListAsyncInvocationsRequest;
import com.huaweicloud.sdk.functiongraph.v2.model.ListAsyncInvocationsResponse;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.scf.v20180416.ScfClient;
import com.tencentcloudapi.scf.v20180416.models.ListAsyncEventsRequest;
import com.tencentcloudapi.scf.v20180416.models.ListAsyncEventsResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.app.Providers;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.huawei.FunctionGraphProvider;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.Faults;
import org.asynctask.exporter.simulator.FunctionSim;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatedFunctionGraph;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.OfficialSdks;
import org.asynctask.exporter.testing.TestExporter;

/**
 * Beside what a user would write instead (issue 24): a listing loop over the provider's official SDK (Huawei's
 * huaweicloud-sdk-functiongraph, Tencent's tencentcloud-sdk-java), one thread per function, every page of a
 * finished backlog, no change detection and no durable output; then the exporter on the same simulator and the
 * same backlog, into files. CPU is the process's less the simulator's
 * ({@link CpuMeter}); each is measured after {@value #WARM_UPS} unmeasured runs, the exporter from a third of its backlog on (as
 * on the replay: the JIT work its start-up leaves is not a cost per event).
 */
final class SdkListingBench {
    /** Unmeasured runs of each before its measured one: a first run's figures would be the JIT compilers'. */
    private static final int WARM_UPS = 3;

    /** Backlogs the long-lived SDK loop and exporter go through on the replay; the second half is measured. */
    private static final int REPLAY_BACKLOGS = 20;

    private final Path root;

    SdkListingBench(Path root) {
        this.root = root;
    }

    /** One SDK: its provider, its artifact, a backlog size and how it lists one function's tasks. */
    private record Sdk(String provider, String artifact, int tasks, int pageSize, FunctionLister lister) {}

    private interface FunctionLister {
        /**
         * @param endpoint the simulator's, or the replay of its pages
         * @return the tasks listed
         */
        long list(SimulatorServer sim, String endpoint, FunctionSim function, int pageSize) throws Exception;
    }

    List<String[]> run() throws Exception {
        List<String[]> rows = new ArrayList<>();
        List<Sdk> sdks = List.of(
                new Sdk(
                        FunctionGraphProvider.ID,
                        "huaweicloud-sdk-functiongraph 3.1.154",
                        30_000,
                        Providers.get(FunctionGraphProvider.ID).maxPageSize(),
                        SdkListingBench::listHuawei),
                // SCF answers 20 requests a second for a SecretId (docs/providers.md): the SDK loop and the
                // exporter are both held to it, so this backlog is smaller.
                new Sdk(
                        ScfProvider.ID,
                        "tencentcloud-sdk-java 3.1.1000",
                        10_000,
                        Providers.get(ScfProvider.ID).maxPageSize(),
                        SdkListingBench::listTencent));
        for (Sdk sdk : sdks) {
            Path dir = Files.createDirectories(root.resolve("sdk-" + sdk.provider()));
            try (SimulatorServer sim = SimulatorServer.start(
                    0,
                    dir,
                    new SimProfile(1, 0.0001, Duration.ofSeconds(1), Duration.ofSeconds(1), 0),
                    Clock.systemUTC(),
                    Faults.none())) {
                sim.engine().stopArrivals();
                List<FunctionSim> functions = sim.engine().functions(sdk.provider());
                for (FunctionSim f : functions) {
                    sim.engine().addFinishedTasks(f, sdk.tasks() / functions.size(), Duration.ofMinutes(30));
                }
                int backlog = sdk.tasks() / functions.size() * functions.size();
                rows.add(sdkLoop(
                        "official SDK listing loop",
                        sdk.artifact() + ": " + sdk.provider() + " backlog of " + backlog
                                + " tasks, one thread per function",
                        WARM_UPS,
                        1,
                        backlog,
                        () -> listAll(sim, sim.baseUrl(), sdk, functions, backlog)));
                Bench.Drain exporter = null;
                for (int run = 0; run <= WARM_UPS; run++) {
                    ExporterConfig config = exporterConfig(sim, sdk, Files.createTempDirectory(dir, "run"));
                    exporter =
                            run < WARM_UPS ? Bench.drain(config, backlog) : Bench.drain(config, backlog, backlog / 3);
                }
                rows.add(exporterRow(
                        "the exporter on the same backlog → files (change detection, events, fsync, checkpoints), "
                                + "from a third of it on",
                        exporter));
                if (sdk.provider().equals(FunctionGraphProvider.ID)) {
                    rows.addAll(replayed(sim, sdk, functions, backlog, dir));
                }
            }
        }
        return rows;
    }

    /**
     * Both long-lived, against the same pages replayed from memory ({@link ReplayServer}: new task ids on every
     * scan), as on the replay of the throughput part: the SDK loop lists {@value #REPLAY_BACKLOGS} backlogs, one
     * exporter drains as many; each is measured over the second half. Against the simulator, each is a fresh
     * client or exporter after a few runs, and a fresh exporter's JIT compilers are still at work.
     */
    private List<String[]> replayed(SimulatorServer sim, Sdk sdk, List<FunctionSim> functions, int backlog, Path dir)
            throws Exception {
        ExporterConfig captureConfig = exporterConfig(sim, sdk, Files.createTempDirectory(dir, "capture"));
        try (ReplayServer replay = new ReplayServer(
                captureHuawei(captureConfig, functions, sdk.pageSize()), ReplayServer.Dialect.FUNCTION_GRAPH)) {
            String what = " " + REPLAY_BACKLOGS + " backlogs (the same pages replayed from memory, task ids new on "
                    + "each scan), the last " + REPLAY_BACKLOGS / 2 + " measured";
            String[] sdkRow = sdkLoop(
                    "official SDK listing loop, long-lived: " + sdk.provider() + what,
                    sdk.artifact(),
                    REPLAY_BACKLOGS / 2,
                    REPLAY_BACKLOGS / 2,
                    backlog,
                    () -> listAll(sim, replay.baseUrl(), sdk, functions, backlog));
            ExporterConfig config = exporterConfig(
                    sim,
                    sdk,
                    Files.createTempDirectory(dir, "replay"),
                    Map.of("endpoint", replay.baseUrl(), "interval", "100ms"));
            Bench.Drain exporter = Bench.profiled(
                    sdk.provider(),
                    () -> Bench.drain(config, REPLAY_BACKLOGS * backlog, REPLAY_BACKLOGS / 2 * backlog));
            return List.of(sdkRow, exporterRow("the exporter, long-lived, → files:" + what, exporter));
        }
    }

    /** One listing of every function's backlog by the SDK loop. */
    private interface Listing {
        void run() throws Exception;
    }

    /** The SDK loop's row: {@code unmeasured} listings, then the figures of {@code measured} more. */
    private static String[] sdkLoop(
            String what, String target, int unmeasured, int measured, int backlog, Listing listing) throws Exception {
        Set<Long> fixtures = CpuMeter.fixtureThreads();
        for (int run = 0; run < unmeasured; run++) {
            listing.run();
        }
        CpuMeter cpu = CpuMeter.start(fixtures);
        long start = System.nanoTime();
        for (int run = 0; run < measured; run++) {
            listing.run();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long listed = (long) backlog * measured;
        String figure = String.format(
                Locale.ROOT,
                "%,.0f tasks/s, %.1f µs CPU per task",
                listed / seconds,
                cpu.measuredNanos() / 1e3 / listed);
        return new String[] {what, figure, target, "-Dbench.only=sdk"};
    }

    private static String[] exporterRow(String what, Bench.Drain drain) {
        String figure = String.format(
                Locale.ROOT, "%,.0f events/s, %.1f µs CPU per event", drain.perSecond(), drain.exporterMicros());
        return new String[] {what, figure, "ahead of the SDK loop", "-Dbench.only=sdk"};
    }

    /** Every page of the backlog, fetched once with the exporter's signed requests, by {@link ReplayServer#key}. */
    private static Map<String, byte[]> captureHuawei(ExporterConfig config, List<FunctionSim> functions, int pageSize)
            throws Exception {
        SourceConfig source = config.sources().get(0);
        FunctionGraphProvider provider = new FunctionGraphProvider();
        HttpClient http = HttpClient.newHttpClient();
        Map<String, byte[]> pages = new HashMap<>();
        Instant now = Instant.now();
        for (FunctionSim f : functions) {
            PartitionKey key = new PartitionKey(
                    FunctionGraphProvider.ID,
                    source.name(),
                    source.account(),
                    source.region(),
                    f.namespace(),
                    f.name(),
                    null);
            String marker = null;
            do {
                HttpCall call = provider.request(
                        source, key, PageQuery.window(now.minus(Duration.ofHours(1)), now, marker, pageSize), now);
                String body = Bench.get(http, call);
                pages.put(
                        ReplayServer.key(URI.create(call.url()).getRawPath(), marker == null ? "0" : marker),
                        body.getBytes(StandardCharsets.UTF_8));
                JsonNode page = Json.MAPPER.readTree(body);
                int next = page.path("next_marker").asInt(-1);
                marker = page.path("invocations").isEmpty()
                                || next < 0
                                || next >= page.path("count").asInt(0)
                        ? null
                        : Integer.toString(next);
            } while (marker != null);
        }
        return pages;
    }

    private static void listAll(SimulatorServer sim, String endpoint, Sdk sdk, List<FunctionSim> functions, int backlog)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(functions.size());
        try {
            List<Future<Long>> listed = new ArrayList<>();
            for (FunctionSim f : functions) {
                listed.add(threads.submit(() -> sdk.lister().list(sim, endpoint, f, sdk.pageSize())));
            }
            long all = 0;
            for (Future<Long> f : listed) {
                all += f.get();
            }
            if (all < backlog) {
                throw new IllegalStateException(sdk.artifact() + " listed " + all + " of " + backlog + " tasks");
            }
        } finally {
            threads.shutdown();
        }
    }

    /** The exporter's configuration for the simulator's source of this provider alone, into a fresh directory. */
    private static ExporterConfig exporterConfig(SimulatorServer sim, Sdk sdk, Path out) {
        return exporterConfig(sim, sdk, out, Map.of());
    }

    /** @param sourceSettings keys of the source to set (without {@code exporter.source.<name>.}) */
    private static ExporterConfig exporterConfig(
            SimulatorServer sim, Sdk sdk, Path out, Map<String, String> sourceSettings) {
        Map<String, String> raw = new HashMap<>(TestExporter.raw(
                sim,
                Map.of(
                        "page-size",
                        Integer.toString(sdk.pageSize()),
                        "interval",
                        "1s",
                        "initial-lookback",
                        "1h",
                        "max-pages-per-poll",
                        "1000"),
                Map.of(
                        "exporter.output.dir", out.resolve("events").toString(),
                        "exporter.checkpoint.dir", out.resolve("checkpoints").toString())));
        String source = raw.entrySet().stream()
                .filter(e -> e.getKey().endsWith(".provider") && e.getValue().equals(sdk.provider()))
                .map(e -> e.getKey().substring(0, e.getKey().length() - "provider".length()))
                .findFirst()
                .orElseThrow();
        raw.keySet().removeIf(k -> k.startsWith("exporter.source.") && !k.startsWith(source));
        sourceSettings.forEach((key, value) -> raw.put(source + key, value));
        return ExporterConfig.parse(raw, System::getenv, Providers.catalog());
    }

    /** As HuaweiSdkConformanceTest lists: marker and limit, over the last hour (no task arrives in the backlog). */
    private static long listHuawei(SimulatorServer sim, String endpoint, FunctionSim f, int pageSize) throws Exception {
        FunctionGraphClient client = OfficialSdks.functionGraph(sim, endpoint);
        String urn = "urn:fss:" + SimulatedFunctionGraph.REGION + ":" + SimulatedFunctionGraph.PROJECT + ":function:"
                + f.namespace() + ":" + f.name() + ":latest";
        OffsetDateTime end = OffsetDateTime.now(ZoneOffset.UTC).withNano(0).plusSeconds(1);
        long listed = 0;
        String marker = "0";
        while (marker != null) {
            ListAsyncInvocationsResponse page = client.listAsyncInvocations(new ListAsyncInvocationsRequest()
                    .withFunctionUrn(urn)
                    .withMarker(marker)
                    .withLimit(Integer.toString(pageSize))
                    .withQueryBeginTime(end.minusHours(1))
                    .withQueryEndTime(end));
            listed += page.getInvocations().size();
            Integer next = page.getNextMarker();
            marker = next == null || page.getInvocations().isEmpty() || next >= page.getCount()
                    ? null
                    : Integer.toString(next);
        }
        return listed;
    }

    /**
     * As TencentSdkConformanceTest lists: offset and limit, oldest first; a page refused with RequestLimitExceeded
     * (over 20 requests a second) is asked again after 50 ms, as a user's loop would.
     */
    private static long listTencent(SimulatorServer sim, String endpoint, FunctionSim f, int pageSize)
            throws Exception {
        ScfClient client = OfficialSdks.scf(sim);
        long offset = 0;
        long total;
        do {
            ListAsyncEventsRequest request = new ListAsyncEventsRequest();
            request.setFunctionName(f.name());
            request.setNamespace(f.namespace());
            request.setOrder("ASC");
            request.setOrderby("StartTime");
            request.setOffset(offset);
            request.setLimit((long) pageSize);
            ListAsyncEventsResponse page;
            try {
                page = client.ListAsyncEvents(request);
            } catch (TencentCloudSDKException e) {
                if (!"RequestLimitExceeded".equals(e.getErrorCode())) {
                    throw e;
                }
                Thread.sleep(50);
                total = offset + 1;
                continue;
            }
            total = page.getTotalCount();
            offset += page.getEventList().length;
            if (page.getEventList().length == 0) {
                break;
            }
        } while (offset < total);
        return offset;
    }
}
