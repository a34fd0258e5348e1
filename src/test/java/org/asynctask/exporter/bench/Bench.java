package org.asynctask.exporter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.Counter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.app.ExporterApp;
import org.asynctask.exporter.app.Providers;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.FileCheckpointStore;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.fc2.Fc2Provider;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.provider.huawei.FunctionGraphProvider;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.Faults;
import org.asynctask.exporter.simulator.FunctionSim;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.task.TrackedTask;
import org.asynctask.exporter.testing.DocumentedArchive;
import org.asynctask.exporter.testing.EmbeddedKafka;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PostgresServer;
import org.asynctask.exporter.testing.TestExporter;

/**
 * The benchmark (issue 8): runs the exporter against the simulators and prints one table. Run with
 * {@value #COMMAND}; {@code -Dbench.only=throughput|kafka|archive|efficiency|memory|startup|group|sdk|scale} runs one
 * part.
 * Figures from one run on a shared 2-core machine: repeat before trusting a difference of 10 %.
 */
public final class Bench {
    static final String COMMAND = "mvn -B -ntp -Pbench -DskipTests verify";

    /**
     * Backlogs one exporter drains on the replay ({@link ReplayServer}: a new generation of the same pages on each
     * scan); the figures are of the second half. Each drain of a fresh exporter is a new Camel context, and the
     * JIT compilers' work on what its start-up ran was still a third of the process's CPU after five of them: the
     * figure is of one exporter that has run for a while, as it runs for months.
     */
    private static final int REPLAY_GENERATIONS = Integer.getInteger("bench.replay-generations", 60);

    private final List<String[]> rows = new ArrayList<>();
    private final Path root;

    private Bench(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory("bench");
        Bench bench = new Bench(root);
        String only = System.getProperty("bench.only", "all");
        int tasks = Integer.getInteger("bench.tasks", 60_000);
        if (only.equals("all") || only.equals("throughput")) {
            bench.throughput(tasks);
        }
        if (only.equals("all") || only.equals("kafka")) {
            bench.kafka(tasks);
        }
        if (only.equals("all") || only.equals("archive")) {
            bench.archive(tasks / 2);
        }
        if (only.equals("all") || only.equals("efficiency")) {
            bench.efficiencyAndFreshness();
        }
        if (only.equals("all") || only.equals("memory")) {
            bench.memory(100_000);
            bench.memory(1_000_000);
        }
        if (only.equals("all") || only.equals("startup")) {
            bench.startup();
        }
        if (only.equals("all") || only.equals("group")) {
            // A backlog five times the others': the members' joining (a rebalance each) is then a smaller part.
            for (String[] r : new GroupBench(root, 5 * tasks).run()) {
                bench.row(r[0], r[1], r[2], "group");
            }
        }
        if (only.equals("all") || only.equals("sdk")) {
            bench.rows.addAll(new SdkListingBench(root).run());
        }
        if (only.equals("all") || only.equals("scale")) {
            for (String[] r : new ScaleBench(root).run()) {
                bench.row(r[0], r[1], r[2], "scale");
            }
        }
        bench.print();
        System.exit(0);
    }

    private void row(String what, String figure, String target, String part) {
        rows.add(new String[] {what, figure, target, "-Dbench.only=" + part});
    }

    private void print() {
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Benchmark (%s; %d cores, Java %s, -Xmx%d MB)%n",
                COMMAND,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("| what | figure | target | part |");
        System.out.println("|---|---|---|---|");
        rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
    }

    // ---------------------------------------------------------------------------------------------
    // 1, 2: throughput into files, and the Jackson-only limit on the same pages

    /** A simulator with no arrivals and a finished backlog of {@code tasks} in the three FC 3.0 functions. */
    private SimulatorServer backlog(Path dir, int tasks) {
        SimulatorServer sim = SimulatorServer.start(
                0,
                dir,
                new SimProfile(1, 0.0001, Duration.ofSeconds(1), Duration.ofSeconds(1), 0),
                Clock.systemUTC(),
                Faults.none());
        sim.engine().stopArrivals();
        List<FunctionSim> fc3 = sim.engine().functions(Fc3Provider.ID);
        for (FunctionSim f : fc3) {
            sim.engine().addFinishedTasks(f, tasks / fc3.size(), Duration.ofMinutes(30));
        }
        return sim;
    }

    /** The simulator's configuration, FC 3.0 source only, pages of 100, every page at once. */
    private static Map<String, String> fc3Only(SimulatorServer sim, Map<String, String> global) {
        Map<String, String> raw = TestExporter.raw(
                sim,
                Map.of("page-size", "100", "interval", "1s", "initial-lookback", "1h", "max-pages-per-poll", "1000"),
                global);
        raw.keySet().removeIf(k -> k.startsWith("exporter.source.") && !k.startsWith("exporter.source.fc3-demo."));
        return raw;
    }

    /**
     * Drains that are not measured: on 2 cores the JIT compilers otherwise take most of a core during a
     * short run, and the figure would measure the warm-up, not an exporter that runs for months.
     */
    private void warmUp(int tasks, Map<String, String> global, int drains) throws Exception {
        for (int i = 0; i < drains; i++) {
            Path dir = Files.createDirectories(root.resolve("warm-up-" + System.nanoTime()));
            try (SimulatorServer sim = backlog(dir, tasks)) {
                drain(ExporterConfig.parse(fc3Only(sim, global), System::getenv, Providers.catalog()), tasks);
            }
        }
    }

    private void throughput(int tasks) throws Exception {
        Path dir = Files.createDirectories(root.resolve("throughput"));
        warmUp(tasks, Map.of(), 2);
        try (SimulatorServer sim = backlog(dir, tasks)) {
            ExporterConfig config = ExporterConfig.parse(fc3Only(sim, Map.of()), System::getenv, Providers.catalog());
            Drain drain = drain(config, tasks);
            row(
                    "pipeline throughput, FC 3.0 backlog of " + tasks
                            + " finished tasks → files (fetch, map, detect, publish + fsync, "
                            + "checkpoint), after 2 unmeasured drains",
                    String.format(Locale.ROOT, "%,.0f events/s", drain.perSecond()),
                    "",
                    "throughput");
            row(
                    "CPU per event in that drain: poll threads / simulator / whole JVM (the rest: JIT compilers, GC, Camel)",
                    String.format(
                            Locale.ROOT,
                            "%.0f / %.0f / %.0f µs",
                            drain.pollMicros(),
                            drain.simulatorMicros(),
                            drain.processMicros()),
                    "",
                    "throughput");
            long fetchStart = System.nanoTime();
            Captured captured = capture(sim, config.sources().get(0));
            List<String> pages = captured.bodies();
            double fetchSeconds = (System.nanoTime() - fetchStart) / 1e9;
            row(
                    "the simulator alone: the same " + pages.size()
                            + " pages fetched by a plain HTTP client, one thread per function",
                    String.format(
                            Locale.ROOT,
                            "%,.0f tasks/s (%.1f ms a page)",
                            tasks / fetchSeconds,
                            1000 * fetchSeconds / pages.size()),
                    "",
                    "throughput");
            JacksonLimit limit = jacksonLimit(pages);
            row(
                    "Jackson-only limit: the same " + pages.size()
                            + " pages parsed and every task re-serialized as an event (one thread)",
                    String.format(
                            Locale.ROOT, "%,.0f tasks/s, %.2f µs CPU per task", limit.perSecond(), limit.cpuMicros()),
                    "",
                    "throughput");
            row(
                    "pipeline / limit",
                    String.format(Locale.ROOT, "%.0f %%", 100 * drain.perSecond() / limit.perSecond()),
                    "≥ 50 %",
                    "throughput");
            replayed(tasks, sim, captured, limit, Map.of(), "files", "throughput");
        }
    }

    /**
     * The fair yardstick (issue 24): the same pages, captured once, served from memory by a {@link ReplayServer},
     * so that the CPU measured is the exporter's alone; one exporter, measured once it has drained half its backlogs.
     */
    private void replayed(
            int tasks,
            SimulatorServer sim,
            Captured captured,
            JacksonLimit limit,
            Map<String, String> global,
            String into,
            String part)
            throws Exception {
        try (ReplayServer replay = new ReplayServer(captured.byRequest(), ReplayServer.Dialect.FC3)) {
            Path out = Files.createDirectories(root.resolve("replay-" + into.replace(' ', '-')));
            Map<String, String> raw = new HashMap<>(fc3Only(sim, global));
            raw.put("exporter.source.fc3-demo.endpoint", replay.baseUrl());
            // The default: a poll yields after 50 pages and the scan resumes at once; the next generation is
            // scanned soon after, so that the drain is not mostly waiting.
            raw.remove("exporter.source.fc3-demo.max-pages-per-poll");
            raw.put("exporter.source.fc3-demo.interval", "100ms");
            raw.put("exporter.output.dir", out.resolve("events").toString());
            raw.put("exporter.checkpoint.dir", out.resolve("checkpoints").toString());
            ExporterConfig config = ExporterConfig.parse(raw, System::getenv, Providers.catalog());
            int events = REPLAY_GENERATIONS * tasks;
            Drain drain = profiled(into, () -> drain(config, events, events / 2));
            row(
                    "the same pages replayed from memory (captured once, byte for byte; task ids new on each scan) → "
                            + into + ", one exporter through " + REPLAY_GENERATIONS + " backlogs, the last "
                            + REPLAY_GENERATIONS / 2 + " measured: throughput, and the exporter's CPU per event "
                            + "(the whole process but the replay server's threads: the exporter's threads, GC, JIT)",
                    String.format(
                            Locale.ROOT,
                            "%,.0f events/s, %.1f µs CPU per event",
                            drain.perSecond(),
                            drain.exporterMicros()),
                    "",
                    part);
            // Into files, the row is read by scripts in exactly this form (issue 24).
            row(
                    "exporter CPU per event / Jackson-only CPU per task" + (into.equals("files") ? "" : ", → " + into),
                    String.format(Locale.ROOT, "%.1f ×", drain.exporterMicros() / limit.cpuMicros()),
                    "≤ 3 ×",
                    part);
        }
    }

    private void kafka(int tasks) throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.start()) {
            for (String delivery : List.of("at-least-once", "exactly-once")) {
                Path dir = Files.createDirectories(root.resolve("kafka-" + delivery));
                try (SimulatorServer sim = backlog(dir, tasks)) {
                    warmUp(tasks, kafkaSettings(broker, delivery, "warm-up"), 1);
                    ExporterConfig config = ExporterConfig.parse(
                            fc3Only(sim, kafkaSettings(broker, delivery, "measured")),
                            System::getenv,
                            Providers.catalog());
                    Drain drain = drain(config, tasks);
                    row(
                            "pipeline throughput, same backlog → Kafka (KRaft broker in the same JVM), " + delivery
                                    + ", after 1 unmeasured drain",
                            String.format(Locale.ROOT, "%,.0f events/s", drain.perSecond()),
                            "≥ 20,000 events/s",
                            "kafka");
                    Captured captured = capture(sim, config.sources().get(0));
                    replayed(
                            tasks,
                            sim,
                            captured,
                            jacksonLimit(captured.bodies()),
                            kafkaSettings(broker, delivery, "replay"),
                            "Kafka " + delivery,
                            "kafka");
                }
            }
        }
    }

    /**
     * The statement docs/archive.md gives for a message per event: the event's fields read from the message, as the
     * archive was before {@code exporter.sink.batch}.
     */
    private static final String PER_EVENT_ARCHIVE_URI =
            "sql:INSERT INTO task_events (id, task_key, status, time, event)"
                    + " VALUES (:#${header.ce_id}, :#${header.ce_taskkey}, CAST(:#${bodyAs(String)} AS jsonb) -> 'data' ->> 'status',"
                    + " CAST(:#${header.ce_time} AS timestamptz), CAST(:#${bodyAs(String)} AS jsonb))"
                    + " ON CONFLICT (id) DO NOTHING?dataSource=#archive";

    /**
     * The PostgreSQL archive of docs/archive.md (the Camel sink, camel-sql's idempotent insert, a HikariCP pool) on
     * a real server of the machine's: as documented, a JDBC batch and a commit per batch; and a statement and a
     * commit per event.
     */
    private void archive(int tasks) throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            DocumentedArchive.createTable(postgres);
            Map<String, String> documented = DocumentedArchive.configFor(postgres);
            archiveDrain(
                    postgres,
                    tasks,
                    documented,
                    "docs/archive.md: the Camel sink with `exporter.sink.batch=true`, camel-sql `batch=true`"
                            + " insert … on conflict do nothing, a JDBC batch and a commit per batch");
            Map<String, String> perEvent = new HashMap<>(documented);
            perEvent.remove("exporter.sink.batch");
            perEvent.put("exporter.sink.uri", PER_EVENT_ARCHIVE_URI);
            archiveDrain(
                    postgres,
                    tasks,
                    perEvent,
                    "a message per event: camel-sql insert … on conflict do nothing, a row and a commit per event");
        }
    }

    private void archiveDrain(PostgresServer postgres, int tasks, Map<String, String> archive, String how)
            throws Exception {
        warmUp(tasks, archive, 1);
        // The measured drain's events are new rows (the warm-up's backlog may have had the same event ids).
        try (Connection c = DocumentedArchive.connect(postgres);
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE task_events");
        }
        try (SimulatorServer sim =
                backlog(Files.createDirectories(root.resolve("archive-" + System.nanoTime())), tasks)) {
            Drain drain =
                    drain(ExporterConfig.parse(fc3Only(sim, archive), System::getenv, Providers.catalog()), tasks);
            long rows;
            try (Connection c = DocumentedArchive.connect(postgres);
                    Statement s = c.createStatement();
                    ResultSet count = s.executeQuery("SELECT count(*) FROM task_events")) {
                count.next();
                rows = count.getLong(1);
            }
            if (rows < 2L * tasks) {
                throw new IllegalStateException("the archive holds " + rows + " rows, not the 2 drains' " + 2 * tasks);
            }
            row(
                    "pipeline throughput, same backlog (" + tasks + " tasks) → PostgreSQL archive (" + how
                            + "), after 1 unmeasured drain",
                    String.format(Locale.ROOT, "%,.0f events/s", drain.perSecond()),
                    "",
                    "archive");
        }
    }

    /** Kafka sink (and for exactly-once, store) settings on topics of their own. */
    private static Map<String, String> kafkaSettings(EmbeddedKafka broker, String delivery, String run) {
        String id = run + "-" + System.nanoTime();
        Map<String, String> global = new HashMap<>(Map.of(
                "exporter.sink",
                "kafka",
                "exporter.kafka.bootstrap-servers",
                broker.bootstrapServers(),
                "exporter.kafka.topic",
                "bench-" + id));
        if (delivery.equals("exactly-once")) {
            global.putAll(Map.of(
                    "exporter.delivery",
                    "exactly-once",
                    "exporter.checkpoint.store",
                    "kafka",
                    "exporter.checkpoint.topic",
                    "bench-checkpoints-" + id,
                    "exporter.kafka.transactional-id",
                    "bench-" + id));
        }
        return global;
    }

    /**
     * What one drain measured; CPU figures are per event. {@code exporterMicros} is the process's CPU less the
     * fixtures' threads ({@link CpuMeter}).
     */
    record Drain(
            double perSecond, double pollMicros, double simulatorMicros, double processMicros, double exporterMicros) {}

    /**
     * Runs the exporter until it has published {@code events}, timed from its first API call (start-up is
     * a figure of its own).
     */
    static Drain drain(ExporterConfig config, int events) throws Exception {
        return drain(config, events, 0);
    }

    /**
     * @param measuredAfter events published before the figures start: those of the exporter's first seconds, while
     *                      the JIT compilers still work through what its start-up ran
     */
    static Drain drain(ExporterConfig config, int events, int measuredAfter) throws Exception {
        Set<Long> fixtures = CpuMeter.fixtureThreads();
        try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
            long begin = System.nanoTime();
            app.start();
            long deadline = begin + TimeUnit.MINUTES.toNanos(5);
            while (app.stats().apiCalls.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            while (published(app) < measuredAfter && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            long eventsBefore = published(app);
            CpuMeter exporter = CpuMeter.start(fixtures);
            long gcBefore = gcMillis();
            Map<String, Long> vmBefore = CpuMeter.vmThreadsByKind();
            Map<String, Long> cpuBefore = cpuByThread();
            long start = System.nanoTime();
            while (app.stats().events.get() < events && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long eventsAfter = published(app);
            if (app.stats().events.get() < events) {
                throw new IllegalStateException(
                        "only " + app.stats().events.get() + " of " + events + " events in 5 min");
            }
            int measured = (int) (eventsAfter - eventsBefore);
            long exporterNanos = exporter.measuredNanos();
            Map<String, Long> cpu = cpuByThread();
            cpu.replaceAll((thread, nanos) -> nanos - cpuBefore.getOrDefault(thread, 0L));
            if (Boolean.getBoolean("bench.threads")) {
                System.out.printf(
                        Locale.ROOT,
                        "  GC %.1f µs/event (wall time of collections)%n",
                        (gcMillis() - gcBefore) * 1e3 / measured);
                CpuMeter.vmThreadsByKind()
                        .forEach((kind, nanos) -> System.out.printf(
                                Locale.ROOT,
                                "  %6.1f µs/event  %s (CPU of the JVM's own threads)%n",
                                (nanos - vmBefore.getOrDefault(kind, 0L)) / 1e3 / measured,
                                kind));
                cpu.entrySet().stream()
                        .filter(e -> e.getValue() > 1_000_000)
                        .sorted(Map.Entry.comparingByValue(Comparator.reverseOrder()))
                        .forEach(e -> System.out.printf(
                                Locale.ROOT, "  %6.1f µs/event  %s%n", e.getValue() / 1e3 / measured, e.getKey()));
            }
            return new Drain(
                    measured / seconds,
                    micros(cpu, "seda://poll", measured),
                    micros(cpu, "simulator-http", measured),
                    micros(cpu, "JVM", measured),
                    exporterNanos / 1e3 / measured);
        }
    }

    /**
     * Events made durable so far, by the metric that counts them at each page's commit: the poll statistics count
     * a poll's events when it ends, up to 50 pages later.
     */
    private static long published(ExporterApp app) {
        return (long) app.metrics().registry().find("asynctask_exporter_events_published").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(gc -> Math.max(0, gc.getCollectionTime()))
                .sum();
    }

    private static double micros(Map<String, Long> cpu, String threadsContaining, int events) {
        return cpu.entrySet().stream()
                        .filter(e -> e.getKey().contains(threadsContaining))
                        .mapToLong(Map.Entry::getValue)
                        .sum()
                / 1e3
                / events;
    }

    /** CPU time so far per live thread (name and id), and of the whole JVM under "JVM". */
    private static Map<String, Long> cpuByThread() {
        var threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            if (info != null) {
                cpu.put(info.getThreadName() + "#" + id, Math.max(0, threads.getThreadCpuTime(id)));
            }
        }
        cpu.put("JVM", ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());
        return cpu;
    }

    /**
     * With {@code -Dbench.jfr=DIR}, the measured drain on the replay is recorded by JFR (a CPU sample of each
     * thread every millisecond) into DIR, one file per sink: the profile of the exporter alone.
     */
    static Drain profiled(String into, Callable<Drain> drain) throws Exception {
        String dir = System.getProperty("bench.jfr");
        if (dir == null) {
            return drain.call();
        }
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.enable("jdk.ObjectAllocationSample");
            recording.start();
            Drain measured = drain.call();
            recording.stop();
            Path file = Path.of(dir, into.replaceAll("[^A-Za-z0-9-]", "-") + ".jfr");
            Files.createDirectories(file.getParent());
            recording.dump(file);
            System.out.println("JFR recording of the replayed drain → " + into + ": " + file);
            return measured;
        }
    }

    /** The backlog's pages in order, and each by {@link ReplayServer#key} of the request that got it. */
    private record Captured(List<String> bodies, Map<String, byte[]> byRequest) {}

    /** Every page of the backlog, fetched once with signed requests. */
    private static Captured capture(SimulatorServer sim, SourceConfig source) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Fc3Provider provider = new Fc3Provider();
        List<Future<List<String>>> perFunction = new ArrayList<>();
        Map<String, byte[]> byRequest = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newCachedThreadPool();
        try {
            for (FunctionSim f : sim.engine().functions(Fc3Provider.ID)) {
                PartitionKey key = new PartitionKey(
                        Fc3Provider.ID, source.name(), source.account(), source.region(), null, f.name(), null);
                perFunction.add(clients.submit(() -> {
                    List<String> bodies = new ArrayList<>();
                    Instant now = Instant.now();
                    String token = null;
                    do {
                        HttpCall call = provider.request(
                                source, key, PageQuery.window(now.minus(Duration.ofHours(1)), now, token, 100), now);
                        String body = get(http, call);
                        bodies.add(body);
                        byRequest.put(
                                ReplayServer.key(URI.create(call.url()).getRawPath(), token),
                                body.getBytes(StandardCharsets.UTF_8));
                        token = nextToken(body);
                    } while (!token.isEmpty());
                    return bodies;
                }));
            }
            List<String> all = new ArrayList<>();
            for (var f : perFunction) {
                all.addAll(f.get());
            }
            return new Captured(all, byRequest);
        } finally {
            clients.shutdown();
        }
    }

    /** Sends a signed GET as built, for a body to capture (the client sets the Host header itself). */
    static String get(HttpClient http, HttpCall call) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(call.url())).GET();
        call.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("host")) {
                req.header(k, v);
            }
        });
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The simulator writes nextToken first: read without parsing the page, so that only the simulator is timed. */
    private static String nextToken(String body) {
        Matcher m = Pattern.compile("^\\{\"nextToken\":\"([^\"]*)\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException(
                    "no nextToken at the start of " + body.substring(0, Math.min(80, body.length())));
        }
        return m.group(1);
    }

    /** Jackson alone on the pages: tasks per second and CPU per task of one thread. */
    private record JacksonLimit(double perSecond, double cpuMicros) {}

    /** Parse each page, and write one small CloudEvent-shaped JSON per task (the best of 3 rounds). */
    private static JacksonLimit jacksonLimit(List<String> pages) throws IOException {
        double best = 0;
        double cpuMicros = Double.MAX_VALUE;
        var thread = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 3; round++) {
            long cpuStart = thread.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long tasks = 0;
            long bytes = 0;
            for (String body : pages) {
                for (JsonNode t : Json.MAPPER.readTree(body).path("tasks")) {
                    ObjectNode event = Json.MAPPER.createObjectNode();
                    event.put("specversion", "1.0")
                            .put("id", t.path("taskId").asText())
                            .put("type", "status.changed")
                            .put("time", t.path("startedTime").asLong())
                            .set("data", t);
                    bytes += Json.MAPPER.writeValueAsBytes(event).length;
                    tasks++;
                }
            }
            best = Math.max(best, tasks / ((System.nanoTime() - start) / 1e9));
            cpuMicros = Math.min(cpuMicros, (thread.getCurrentThreadCpuTime() - cpuStart) / 1e3 / tasks);
            if (bytes == 0) {
                throw new IllegalStateException("no tasks in the pages");
            }
        }
        return new JacksonLimit(best, cpuMicros);
    }

    // ---------------------------------------------------------------------------------------------
    // 3, 4: API calls per cycle against the minimum, and freshness, on the standard workload

    private void efficiencyAndFreshness() throws Exception {
        Path dir = Files.createDirectories(root.resolve("efficiency"));
        Duration interval = Duration.ofSeconds(5);
        int perCycle = 1000;
        // 1,000 new tasks per cycle per partition, 1 % of them running for hours.
        Duration longRun = Duration.ofHours(3);
        double perSecond = perCycle / (double) interval.toSeconds();
        SimProfile workload = new SimProfile(5, perSecond, Duration.ofMillis(500), longRun, 0.01);
        Faults counter = Faults.none();
        try (SimulatorServer sim = SimulatorServer.start(0, dir, workload, Clock.systemUTC(), counter)) {
            // One partition per provider.
            Map<String, String> keep = Map.of(
                    Fc3Provider.ID,
                    "orders",
                    Fc2Provider.ID,
                    "invoice",
                    FunctionGraphProvider.ID,
                    "resize",
                    ScfProvider.ID,
                    "report");
            for (String provider : keep.keySet()) {
                for (FunctionSim f : sim.engine().functions(provider)) {
                    if (!f.name().equals(keep.get(provider))) {
                        sim.engine().removeFunction(provider, f.namespace(), f.name());
                    } else {
                        // A steady state: the long-running tasks of the last 3 hours (21,600) are still
                        // open, and 2 a second of them finish.
                        sim.engine().addLongRunningTasks(f, (int) (perSecond * 0.01 * longRun.toSeconds()), longRun);
                    }
                }
            }
            Map<String, String> scan = new HashMap<>(
                    Map.of("interval", "5s", "page-size", "1000", "initial-lookback", "4h", "safety-lag", "1s"));
            // To compare with other settings, e.g. -Dbench.old-task-check-interval=5s (every old task on every poll).
            String checkInterval = System.getProperty("bench.old-task-check-interval");
            if (checkInterval != null) {
                scan.put("old-task-check-interval", checkInterval);
            }
            Map<String, String> raw = TestExporter.raw(sim, scan, Map.of());
            raw.keySet().removeIf(k -> k.startsWith("exporter.source.fc2-media."));
            raw.put("exporter.source.fc3-demo.functions", "orders");
            raw.put("exporter.source.fc2-billing.functions", "billing/invoice");
            raw.put("exporter.source.huawei-demo.functions", "default/resize");
            raw.put("exporter.source.tencent-demo.functions", "default/report");
            raw.replaceAll((k, v) -> k.endsWith(".page-size")
                    ? Integer.toString(Providers.get(sourceProvider(raw, k)).maxPageSize())
                    : v);
            ExporterConfig config = ExporterConfig.parse(raw, System::getenv, Providers.catalog());
            int cycles = Integer.getInteger("bench.cycles", 6);
            Map<String, Long> before = new HashMap<>();
            Map<String, Long> after = new HashMap<>();
            long measuredFrom;
            long measuredTo;
            double pollCpuMs;
            Tail tail = new Tail(TestExporter.eventsDir(sim));
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                // Warm-up: the first scans read the initial look-back with its long-running tasks.
                sleepWatching(tail, interval.multipliedBy(3).plusSeconds(1));
                keep.keySet().forEach(p -> before.put(p, counter.requests(p)));
                Map<String, Long> cpuBefore = cpuByThread();
                long pollsBefore = app.stats().polls.get();
                measuredFrom = System.currentTimeMillis();
                sleepWatching(tail, interval.multipliedBy(cycles));
                keep.keySet().forEach(p -> after.put(p, counter.requests(p)));
                measuredTo = System.currentTimeMillis();
                Map<String, Long> cpuAfter = cpuByThread();
                cpuAfter.replaceAll((thread, ns) -> ns - cpuBefore.getOrDefault(thread, 0L));
                pollCpuMs =
                        micros(cpuAfter, "seda://poll", (int) (app.stats().polls.get() - pollsBefore)) / 1e3;
                // The events of the window's last changes, the slowest included (a turn of the old tasks'
                // checks), are written after it: without this wait they would not count.
                sleepWatching(
                        tail,
                        interval.multipliedBy(config.sources().get(0).scan().checkTurns() + 2));
            }
            Map<String, Long> changedAt = GroundTruth.changeTimes(sim.transitions());
            changedAt.values().removeIf(at -> at > measuredTo);
            for (String provider : List.of(Fc3Provider.ID, Fc2Provider.ID, FunctionGraphProvider.ID, ScfProvider.ID)) {
                double calls = (after.get(provider) - before.get(provider)) / (double) cycles;
                int max = Providers.get(provider).maxPageSize();
                double minimum = Math.ceil(perCycle / (double) max);
                row(
                        provider + ": API calls per 5 s cycle (1,000 new tasks per cycle, 1 % running for hours; page "
                                + max + ")",
                        String.format(Locale.ROOT, "%.1f (minimum %.0f, ratio %.2f)", calls, minimum, calls / minimum),
                        "≤ 1.2 × minimum",
                        "efficiency");
            }
            row(
                    "CPU per poll of one function in that steady state (poll threads; 21,600 open tasks tracked, about 1,000 "
                            + "changes a poll)",
                    String.format(Locale.ROOT, "%.1f ms", pollCpuMs),
                    "",
                    "efficiency");
            Map<String, Long> startedAt = GroundTruth.startTimes(sim.transitions());
            // Open for longer than the re-scan window (2m) when they end: checked in turns (old-task-check-interval).
            Predicate<String> longRunning = task -> startedAt.get(task) < measuredFrom - 120_000;
            // The ends of tasks open for hours come late by design (checked in turns); they have their own
            // row, and are left out of the first, which would otherwise measure little else at its p99.
            freshness(
                    "freshness: status change → event written, poll interval 5 s (every change but the ends of tasks "
                            + "open for hours)",
                    tail.delays(changedAt, measuredFrom, longRunning.negate()));
            Map<String, String> providerOf = new HashMap<>();
            GroundTruth.read(sim.transitions())
                    .tasks()
                    .forEach(t -> providerOf.put(t.ref().taskId(), t.ref().provider()));
            freshness(
                    "freshness of the ends of tasks open for hours but SCF's (checked in turns: old-task-check-interval "
                            + (checkInterval != null ? checkInterval : "1m") + ")",
                    tail.delays(
                            changedAt, measuredFrom, longRunning.and(t -> !ScfProvider.ID.equals(providerOf.get(t)))));
            freshness("freshness of both together", tail.delays(changedAt, measuredFrom, t -> true));
            freshness(
                    "freshness of the ends of SCF tasks open for hours (found by the end-time listing every poll)",
                    tail.delays(
                            changedAt, measuredFrom, longRunning.and(t -> ScfProvider.ID.equals(providerOf.get(t)))));
        }
    }

    private void freshness(String what, List<Long> delays) {
        delays.sort(null);
        if (!delays.isEmpty()) {
            row(
                    what + " (" + delays.size() + " events)",
                    String.format(
                            Locale.ROOT,
                            "p50 %.2f s, p99 %.2f s",
                            delays.get(delays.size() / 2) / 1000.0,
                            delays.get((int) (delays.size() * 0.99)) / 1000.0),
                    "p99 ≤ 6 s",
                    "efficiency");
        }
    }

    private static String sourceProvider(Map<String, String> raw, String key) {
        String source = key.substring(0, key.length() - ".page-size".length());
        return raw.get(source + ".provider");
    }

    private static void sleepWatching(Tail tail, Duration d) throws Exception {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            tail.read();
            Thread.sleep(25);
        }
        tail.read();
    }

    /** Reads new lines of the event files as they are written and notes when each event id was first seen. */
    private static final class Tail {
        private final Path dir;
        private final Map<Path, Long> positions = new HashMap<>();
        private final Map<String, long[]> seen = new LinkedHashMap<>();
        private final Map<String, String> key = new HashMap<>();

        Tail(Path dir) {
            this.dir = dir;
        }

        void read() throws IOException {
            if (!Files.exists(dir)) {
                return;
            }
            long now = System.currentTimeMillis();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                    long pos = positions.getOrDefault(f, 0L);
                    byte[] all = Files.readAllBytes(f);
                    int end = all.length;
                    while (end > pos && all[end - 1] != '\n') {
                        end--;
                    }
                    if (end <= pos) {
                        continue;
                    }
                    for (String line :
                            new String(all, (int) pos, (int) (end - pos), StandardCharsets.UTF_8).split("\n")) {
                        JsonNode e = Json.MAPPER.readTree(line);
                        String id = e.path("id").asText();
                        if (!seen.containsKey(id)) {
                            seen.put(id, new long[] {now});
                            key.put(
                                    id,
                                    e.at("/data/task/taskId").asText() + "|"
                                            + e.at("/data/task/providerStatus").asText());
                        }
                    }
                    positions.put(f, (long) end);
                }
            }
        }

        /** Per event of a status change made since {@code fromMs}: first seen minus the moment of the change. */
        List<Long> delays(Map<String, Long> changedAt, long fromMs, Predicate<String> ofTask) {
            List<Long> out = new ArrayList<>();
            seen.forEach((id, t) -> {
                Long at = changedAt.get(key.get(id));
                if (at != null
                        && at >= fromMs
                        && ofTask.test(key.get(id).substring(0, key.get(id).indexOf('|')))) {
                    out.add(t[0] - at);
                }
            });
            return out;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 5: memory per tracked open task, and the checkpoint on disk

    private void memory(int openTasks) throws Exception {
        List<String> statuses = List.of("Enqueued", "Running", "Retrying");
        System.gc();
        long before = usedHeap();
        Map<String, TrackedTask> tracked = new HashMap<>();
        long start = System.currentTimeMillis() - 3_600_000;
        for (int i = 0; i < openTasks; i++) {
            // As parsed from a page: a fresh id string per task; statuses are the provider's few values.
            tracked.put(
                    new String(UUID.randomUUID().toString().toCharArray()),
                    new TrackedTask(statuses.get(i % statuses.size()), start + i, false));
        }
        long after = usedHeap();
        double perTask = (after - before) / (double) openTasks;
        if (tracked.size() != openTasks) {
            throw new IllegalStateException("lost tasks");
        }
        Path dir = Files.createDirectories(root.resolve("memory-" + openTasks));
        PartitionKey key = new PartitionKey(Fc3Provider.ID, "bench", "1", "cn-hangzhou", null, "orders", null);
        long saveNanos;
        List<Long> deltaNanos = new ArrayList<>();
        long deltaBytes;
        try (FileCheckpointStore store = new FileCheckpointStore(dir)) {
            long t0 = System.nanoTime();
            store.save(key, new Checkpoint(start, null, tracked, null));
            saveNanos = System.nanoTime() - t0;
            // The saves of a steady state: a poll's worth of new tasks, and a few that ended.
            for (int save = 0; save < 5; save++) {
                Set<String> unsaved = new HashSet<>();
                for (int i = 0; i < 1000; i++) {
                    String id = new String(UUID.randomUUID().toString().toCharArray());
                    tracked.put(id, new TrackedTask("Running", start + openTasks + save * 1000L + i, false));
                    unsaved.add(id);
                }
                Iterator<String> ended = tracked.keySet().iterator();
                for (int i = 0; i < 20; i++) {
                    String id = ended.next();
                    ended.remove();
                    unsaved.add(id);
                }
                long t1 = System.nanoTime();
                store.save(key, new Checkpoint(start, null, tracked, null, 0, Set.of(), unsaved));
                deltaNanos.add(System.nanoTime() - t1);
            }
            try (Stream<Path> files = Files.list(dir)) {
                deltaBytes = files.filter(p -> p.toString().endsWith(".log"))
                                .mapToLong(p -> p.toFile().length())
                                .sum()
                        / 5;
            }
        }
        deltaNanos.sort(null);
        long size;
        try (Stream<Path> files = Files.list(dir)) {
            size = files.filter(p -> p.toString().endsWith(".json"))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
        row(
                String.format(Locale.ROOT, "retained heap per tracked open task, %,d open tasks", openTasks),
                String.format(Locale.ROOT, "%.0f bytes", perTask),
                "≤ 200 bytes",
                "memory");
        row(
                String.format(Locale.ROOT, "checkpoint file with %,d open tasks: size, and one save", openTasks),
                String.format(Locale.ROOT, "%,.1f MB, %,d ms", size / 1e6, saveNanos / 1_000_000),
                "small",
                "memory");
        row(
                String.format(
                        Locale.ROOT,
                        "checkpoint save in the steady state with %,d open tasks (1,000 new and 20 ended tasks "
                                + "appended to its log; median of 5)",
                        openTasks),
                String.format(Locale.ROOT, "%,.0f KB, %.1f ms", deltaBytes / 1e3, deltaNanos.get(2) / 1e6),
                "small",
                "memory");
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    // ---------------------------------------------------------------------------------------------
    // 6: start-up to the first completed poll, as a separate process

    private void startup() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path jar = Path.of("target", "async-task-exporter.jar").toAbsolutePath();
        Path archive = Path.of("target", "async-task-exporter.jsa").toAbsolutePath();
        startup("`java -jar`", List.of(java.toString(), "-jar", jar.toString()));
        if (Files.exists(archive)) {
            startup(
                    "`bin/async-task-exporter` (the same jar with the class-data archive the build makes)",
                    List.of(Path.of("bin", "async-task-exporter")
                            .toAbsolutePath()
                            .toString()));
        }
    }

    /** Process start → first completed poll line, median of 3, for one way of launching the product. */
    private void startup(String how, List<String> launch) throws Exception {
        Path dir = Files.createDirectories(root.resolve("startup-" + System.nanoTime()));
        try (SimulatorServer sim = SimulatorServer.start(0, dir, SimProfile.demo(1), Clock.systemUTC())) {
            List<Long> times = new ArrayList<>();
            for (int run = 0; run < 3; run++) {
                Path data = Files.createDirectories(dir.resolve("run" + run));
                Map<String, String> raw = new HashMap<>(TestExporter.raw(
                        sim,
                        Map.of(),
                        Map.of(
                                "exporter.output.dir", data.resolve("events").toString(),
                                "exporter.checkpoint.dir",
                                        data.resolve("checkpoints").toString())));
                Path config = TestExporter.write(raw, data.resolve("exporter.properties"));
                List<String> cmd = new ArrayList<>(launch);
                cmd.addAll(List.of("run", "--config", config.toString()));
                long start = System.nanoTime();
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.contains(" event(s), ")) {
                            times.add((System.nanoTime() - start) / 1_000_000);
                            break;
                        }
                    }
                } finally {
                    p.destroy();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
            }
            times.sort(null);
            row(
                    "start-up: process start → first completed poll (`run`, 10 functions; median of 3), " + how,
                    times.isEmpty()
                            ? "no poll completed"
                            : String.format(Locale.ROOT, "%,d ms", times.get(times.size() / 2)),
                    "< 3 s",
                    "startup");
        }
    }
}
