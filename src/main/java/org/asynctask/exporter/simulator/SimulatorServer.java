package org.asynctask.exporter.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.asynctask.exporter.provider.fc2.Fc2Provider;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.provider.huawei.FunctionGraphProvider;
import org.asynctask.exporter.provider.tencent.ScfProvider;

/**
 * All provider simulators on one loopback port, with a demo population of functions. On start it
 * writes, under {@code <dataDir>/simulator/}: {@code exporter.properties} (a ready configuration for
 * {@code run}), the demo secret it references, and {@code transitions.jsonl} (ground truth).
 */
public final class SimulatorServer implements AutoCloseable {
    static {
        // The JDK server writes headers and body as separate segments; with Nagle's algorithm and the
        // client's delayed ACK every answer waited about 40 ms. Read once, when the server classes load.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public static final String ACCOUNT = "1234567890123456";
    public static final String REGION = "cn-hangzhou";
    /** Demo credentials of the simulated Alibaba account. Not a real key: it opens nothing but this simulator. */
    public static final String ALIBABA_KEY_ID = "LTAI5tSimulatorDemoKey";

    private static final String ALIBABA_SECRET = "simulator-demo-secret-0000000000";

    /** The simulated FC 3.0 functions: name and qualifiers their tasks are invoked with. */
    public static final Map<String, List<String>> FC3_FUNCTIONS = Map.of(
            "orders", List.of("LATEST"),
            "thumbnails", List.of("LATEST"),
            "reports", List.of("prod"));

    /** The simulated FC 2.0 functions: service/function and qualifiers. The demo lists billing's, discovers media's. */
    public static final Map<String, List<String>> FC2_FUNCTIONS = Map.of(
            "billing/invoice", List.of("LATEST"),
            "billing/refund", List.of("LATEST"),
            "media/transcode", List.of("prod"));

    /** The simulated Huawei project (account), its demo access key and an IAM token it accepts. */
    public static final String HUAWEI_PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

    public static final String HUAWEI_REGION = "cn-north-4";
    public static final String HUAWEI_AK = "HWSIMULATORDEMOAK000";
    private static final String HUAWEI_SK = "simulator-demo-huawei-sk-00000000000000";
    public static final String HUAWEI_TOKEN = "simulator-demo-iam-token";
    /** The simulated FunctionGraph functions, package/name, all version latest. */
    public static final List<String> HUAWEI_FUNCTIONS = List.of("default/resize", "default/notify");
    /** Each Huawei function starts with tasks begun this long ago, still running: beyond the API's one-hour default. */
    public static final Duration BACKDATED_AGE = Duration.ofHours(2);

    /** The simulated Tencent account: region, demo SecretId, functions (namespace/name), time zone of its strings. */
    public static final String TENCENT_APP_ID = "1250000000";

    public static final String TENCENT_REGION = "ap-guangzhou";
    public static final String TENCENT_SECRET_ID = "AKIDsimulatordemo000000000000000";
    private static final String TENCENT_SECRET_KEY = "simulator-demo-tencent-secret-key0000";
    public static final List<String> TENCENT_FUNCTIONS = List.of("default/report", "jobs/etl");
    public static final ZoneId TENCENT_ZONE = ZoneId.of("Asia/Shanghai");
    /** A large population's FC 2.0 services and SCF namespaces: {@code svc-001}, {@code ns-001} … */
    static final String FC2_SERVICE = "svc";

    static final String SCF_NAMESPACE = "ns";

    private final HttpServer server;
    private final ExecutorService executor;
    private final TaskLifecycleEngine engine;
    private final List<AlibabaSimulator> apis;
    private final HuaweiSimulator huawei;
    private final TencentSimulator tencent;
    private final SimProfile profile;
    private final Path dir;
    private final RequestLog requests;

    private SimulatorServer(
            HttpServer server,
            ExecutorService executor,
            TaskLifecycleEngine engine,
            List<AlibabaSimulator> apis,
            HuaweiSimulator huawei,
            TencentSimulator tencent,
            SimProfile profile,
            Path dir,
            RequestLog requests) {
        this.tencent = tencent;
        this.requests = requests;
        this.server = server;
        this.executor = executor;
        this.engine = engine;
        this.apis = apis;
        this.huawei = huawei;
        this.profile = profile;
        this.dir = dir;
    }

    /**
     * @param port 0 for any free port
     */
    public static SimulatorServer start(int port, Path dataDir, SimProfile profile, Clock clock) {
        return start(port, dataDir, profile, clock, Faults.none());
    }

    /**
     * @param faults what to inject into the answers of every simulator (see {@link FaultKind})
     */
    public static SimulatorServer start(int port, Path dataDir, SimProfile profile, Clock clock, Faults faults) {
        return start(port, dataDir, profile, clock, faults, SimPopulation.DEMO);
    }

    /**
     * @param population the demo's functions, or a large account's ({@code simulate --functions N})
     */
    public static SimulatorServer start(
            int port, Path dataDir, SimProfile profile, Clock clock, Faults faults, SimPopulation population) {
        Path dir = dataDir.resolve("simulator").toAbsolutePath();
        TaskLifecycleEngine engine =
                new TaskLifecycleEngine(clock, new TransitionLog(dir.resolve("transitions.jsonl")), Duration.ofDays(3));
        if (population.isDemo()) {
            addDemoFunctions(engine, profile);
        } else {
            addFunctions(engine, population, profile);
        }
        HuaweiSimulator huawei = new HuaweiSimulator(
                engine,
                population.keys(HUAWEI_AK, HUAWEI_SK),
                HUAWEI_TOKEN,
                HUAWEI_PROJECT,
                HUAWEI_REGION,
                clock,
                faults);
        TencentSimulator tencent = new TencentSimulator(
                engine, population.keys(TENCENT_SECRET_ID, TENCENT_SECRET_KEY), TENCENT_ZONE, clock, faults);
        Map<String, String> secrets = population.keys(ALIBABA_KEY_ID, ALIBABA_SECRET);
        AlibabaSimulator fc3 =
                new AlibabaSimulator(AlibabaDialect.FC3, engine, secrets, ACCOUNT, REGION, clock, faults);
        AlibabaSimulator fc2 =
                new AlibabaSimulator(AlibabaDialect.FC2, engine, secrets, ACCOUNT, REGION, clock, faults);
        RequestLog requests = new RequestLog();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            server.createContext("/2023-03-30/", fc3)
                    .getFilters()
                    .add(new FaultFilter(Fc3Provider.ID, faults, fc3, requests));
            server.createContext("/2021-04-06/", fc2)
                    .getFilters()
                    .add(new FaultFilter(Fc2Provider.ID, faults, fc2, requests));
            server.createContext("/v2/", huawei)
                    .getFilters()
                    .add(new FaultFilter(FunctionGraphProvider.ID, faults, huawei, requests));
            // Tencent API 3.0 posts to "/": the catch-all context.
            server.createContext("/", tencent)
                    .getFilters()
                    .add(new FaultFilter(ScfProvider.ID, faults, tencent, requests));
            server.createContext(SimulatorControl.PATH, new SimulatorControl(engine, faults));
            ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
                Thread t = new Thread(r, "simulator-http");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.start();
            engine.startTicking();
            SimulatorServer sim = new SimulatorServer(
                    server, executor, engine, List.of(fc3, fc2), huawei, tencent, profile, dir, requests);
            sim.writeSecrets();
            Files.writeString(
                    sim.exporterConfig(),
                    population.isDemo()
                            ? SimulatorConfigs.demo(dataDir.toAbsolutePath(), sim.baseUrl(), sim.secrets())
                            : SimulatorConfigs.scale(
                                    dataDir.toAbsolutePath(), sim.baseUrl(), sim.secrets(), population),
                    StandardCharsets.UTF_8);
            return sim;
        } catch (IOException e) {
            engine.close();
            throw new UncheckedIOException(
                    "cannot start the simulators on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    private static void addDemoFunctions(TaskLifecycleEngine engine, SimProfile profile) {
        FC3_FUNCTIONS.keySet().stream()
                .sorted()
                .forEach(name -> engine.addFunction(
                        Fc3Provider.ID, null, name, FC3_FUNCTIONS.get(name), new AlibabaLifecycle(true), profile));
        FC2_FUNCTIONS.keySet().stream().sorted().forEach(name -> {
            String[] sf = name.split("/");
            engine.addFunction(
                    Fc2Provider.ID, sf[0], sf[1], FC2_FUNCTIONS.get(name), new AlibabaLifecycle(false), profile);
        });
        for (String name : HUAWEI_FUNCTIONS) {
            String[] pf = name.split("/");
            FunctionSim f = engine.addFunction(
                    FunctionGraphProvider.ID, pf[0], pf[1], List.of("latest"), new HuaweiLifecycle(), profile);
            // They finish 8 s into the run, or sooner with a quick profile, so that tests need not wait for them.
            Duration finishAfter = profile.longTask().multipliedBy(2).compareTo(Duration.ofSeconds(8)) < 0
                    ? profile.longTask().multipliedBy(2)
                    : Duration.ofSeconds(8);
            engine.addBackdatedTasks(f, 2, BACKDATED_AGE, finishAfter);
        }
        for (String name : TENCENT_FUNCTIONS) {
            String[] nf = name.split("/");
            engine.addFunction(ScfProvider.ID, nf[0], nf[1], List.of("$LATEST"), new ScfLifecycle(), profile);
        }
    }

    /** {@code perProvider} functions of each provider, with the demo's life cycles. */
    private static void addFunctions(TaskLifecycleEngine engine, SimPopulation population, SimProfile profile) {
        for (int i = 0; i < population.perProvider(); i++) {
            engine.addFunction(
                    Fc3Provider.ID,
                    null,
                    SimPopulation.function(null, i),
                    List.of("LATEST"),
                    new AlibabaLifecycle(true),
                    profile);
            String[] fc2 = SimPopulation.function(FC2_SERVICE, i).split("/");
            engine.addFunction(Fc2Provider.ID, fc2[0], fc2[1], List.of("LATEST"), new AlibabaLifecycle(false), profile);
            engine.addFunction(
                    FunctionGraphProvider.ID,
                    "default",
                    SimPopulation.function(null, i),
                    List.of("latest"),
                    new HuaweiLifecycle(),
                    profile);
            String[] scf = SimPopulation.function(SCF_NAMESPACE, i).split("/");
            engine.addFunction(ScfProvider.ID, scf[0], scf[1], List.of("$LATEST"), new ScfLifecycle(), profile);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public TaskLifecycleEngine engine() {
        return engine;
    }

    public Path exporterConfig() {
        return dir.resolve("exporter.properties");
    }

    public Path transitions() {
        return dir.resolve("transitions.jsonl");
    }

    /** When each API request of every provider arrived. */
    public RequestLog requests() {
        return requests;
    }

    /** Makes every page token handed out so far invalid, as when a provider's tokens expire. */
    public void expirePageTokens() {
        apis.forEach(api -> api.tokens().expireAll());
    }

    /** FunctionGraph listings that came without query_begin_time (the API then shows only the last hour). */
    public long huaweiRequestsWithoutBeginTime() {
        return huawei.requestsWithoutBeginTime();
    }

    /** The most SCF requests accepted from one SecretId within any one second. */
    public int tencentBusiestSecond() {
        return tencent.maxRequestsPerSecond();
    }

    /** SCF requests refused with RequestLimitExceeded (more than 20 per second for one SecretId). */
    public long tencentRateLimited() {
        return tencent.rateLimited();
    }

    /** A new FC 2.0 function with async tasks, found by discovery from now on. */
    public void addFc2Function(String service, String function, List<String> qualifiers) {
        engine.addFunction(Fc2Provider.ID, service, function, qualifiers, new AlibabaLifecycle(false), profile);
    }

    /** An FC 2.0 function that goes away: no longer listed, and its tasks no longer answered. */
    public void removeFc2Function(String service, String function) {
        engine.removeFunction(Fc2Provider.ID, service, function);
    }

    private SimulatorConfigs.Secrets secrets() {
        return new SimulatorConfigs.Secrets(
                dir.resolve("alibaba-demo.secret"),
                dir.resolve("huawei-demo.secret"),
                dir.resolve("tencent-demo.secret"));
    }

    /** The demo secrets, one file per provider, which the configuration it writes references. */
    private void writeSecrets() throws IOException {
        SimulatorConfigs.Secrets secrets = secrets();
        Files.writeString(secrets.alibaba(), ALIBABA_SECRET + "\n", StandardCharsets.UTF_8);
        Files.writeString(secrets.tencent(), TENCENT_SECRET_KEY + "\n", StandardCharsets.UTF_8);
        Files.writeString(secrets.huawei(), HUAWEI_SK + "\n", StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        engine.close();
    }
}
