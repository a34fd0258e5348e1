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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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

    private final HttpServer server;
    private final ExecutorService executor;
    private final TaskLifecycleEngine engine;
    private final List<SimulatedApi> apis;
    private final Path dir;
    private final RequestLog requests;

    private SimulatorServer(
            HttpServer server,
            ExecutorService executor,
            TaskLifecycleEngine engine,
            List<SimulatedApi> apis,
            Path dir,
            RequestLog requests) {
        this.requests = requests;
        this.server = server;
        this.executor = executor;
        this.engine = engine;
        this.apis = apis;
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
        SimulatedApi.Setting setting = new SimulatedApi.Setting(engine, population, profile, clock, faults);
        List<SimulatedApi> apis =
                SimulatedApis.REGISTERED.stream().map(api -> api.apply(setting)).toList();
        for (SimulatedApi api : apis) {
            if (population.isDemo()) {
                api.addDemoFunctions();
            } else {
                for (int i = 0; i < population.perProvider(); i++) {
                    api.addLargeAccountFunction(i);
                }
            }
        }
        RequestLog requests = new RequestLog();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            for (SimulatedApi api : apis) {
                server.createContext(api.contextPath(), api.handler())
                        .getFilters()
                        .add(new FaultFilter(api.providerId(), faults, api.handler(), requests));
            }
            server.createContext(SimulatorControl.PATH, new SimulatorControl(engine, faults));
            ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
                Thread t = new Thread(r, "simulator-http");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.start();
            engine.startTicking();
            SimulatorServer sim = new SimulatorServer(server, executor, engine, apis, dir, requests);
            sim.writeSecrets();
            Files.writeString(
                    sim.exporterConfig(),
                    population.isDemo()
                            ? SimulatorConfigs.demo(dataDir.toAbsolutePath(), sim.baseUrl(), apis, dir)
                            : SimulatorConfigs.scale(dataDir.toAbsolutePath(), sim.baseUrl(), apis, dir, population),
                    StandardCharsets.UTF_8);
            return sim;
        } catch (IOException e) {
            engine.close();
            throw new UncheckedIOException(
                    "cannot start the simulators on 127.0.0.1:" + port + ": " + e.getMessage(), e);
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
        apis.forEach(SimulatedApi::expirePageTokens);
    }

    /** The running simulated API of that kind: for what only it can tell or do ({@link SimulatedFc2#addFunction}, …). */
    public <T extends SimulatedApi> T api(Class<T> kind) {
        return apis.stream()
                .filter(kind::isInstance)
                .map(kind::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no simulated API " + kind.getSimpleName()));
    }

    /** The demo secrets, one file per account (APIs of one account share it), which the configuration references. */
    private void writeSecrets() throws IOException {
        Map<String, String> byFile = new LinkedHashMap<>();
        apis.forEach(api -> byFile.putIfAbsent(api.secretFile(), api.secret()));
        for (Map.Entry<String, String> secret : byFile.entrySet()) {
            Files.writeString(dir.resolve(secret.getKey()), secret.getValue() + "\n", StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        engine.close();
    }
}
