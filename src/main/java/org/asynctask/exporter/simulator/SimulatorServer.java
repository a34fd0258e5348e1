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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.asynctask.exporter.provider.fc3.Fc3Provider;

/**
 * All provider simulators on one loopback port, with a demo population of functions. On start it
 * writes, under {@code <dataDir>/simulator/}: {@code exporter.properties} (a ready configuration for
 * {@code run}), the demo secret it references, and {@code transitions.jsonl} (ground truth).
 */
public final class SimulatorServer implements AutoCloseable {
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

    private final HttpServer server;
    private final ExecutorService executor;
    private final TaskLifecycleEngine engine;
    private final Fc3Simulator fc3;
    private final Path dir;

    private SimulatorServer(HttpServer server, ExecutorService executor, TaskLifecycleEngine engine, Fc3Simulator fc3, Path dir) {
        this.server = server;
        this.executor = executor;
        this.engine = engine;
        this.fc3 = fc3;
        this.dir = dir;
    }

    /**
     * @param port 0 for any free port
     */
    public static SimulatorServer start(int port, Path dataDir, SimProfile profile, Clock clock) {
        Path dir = dataDir.resolve("simulator").toAbsolutePath();
        TaskLifecycleEngine engine = new TaskLifecycleEngine(clock, new TransitionLog(dir.resolve("transitions.jsonl")),
                Duration.ofDays(3));
        FC3_FUNCTIONS.keySet().stream().sorted().forEach(name ->
                engine.addFunction(Fc3Provider.ID, null, name, FC3_FUNCTIONS.get(name), new Fc3Lifecycle(), profile));
        Fc3Simulator fc3 = new Fc3Simulator(engine, new Acs3Verifier(Map.of(ALIBABA_KEY_ID, ALIBABA_SECRET)), ACCOUNT, REGION, clock);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            server.createContext("/2023-03-30/", fc3);
            ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
                Thread t = new Thread(r, "simulator-http");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.start();
            engine.startTicking();
            SimulatorServer sim = new SimulatorServer(server, executor, engine, fc3, dir);
            sim.writeExporterConfig(dataDir.toAbsolutePath());
            return sim;
        } catch (IOException e) {
            engine.close();
            throw new UncheckedIOException("cannot start the simulators on 127.0.0.1:" + port + ": " + e.getMessage(), e);
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

    /** Makes every page token handed out so far invalid, as when a provider's tokens expire. */
    public void expirePageTokens() {
        fc3.tokens().expireAll();
    }

    private void writeExporterConfig(Path dataDir) throws IOException {
        Path secret = dir.resolve("alibaba-demo.secret");
        Files.writeString(secret, ALIBABA_SECRET + "\n", StandardCharsets.UTF_8);
        String config = """
                # Written by the simulator: a configuration for `run` against the local simulators.
                # The credentials are the simulator's demo credentials; they open nothing else.
                exporter.output.dir=%1$s/events
                exporter.checkpoint.dir=%1$s/checkpoints

                exporter.source.fc3-demo.provider=alibaba-fc3
                exporter.source.fc3-demo.account=%2$s
                exporter.source.fc3-demo.region=%3$s
                exporter.source.fc3-demo.endpoint=%4$s
                exporter.source.fc3-demo.functions=orders,thumbnails,reports:prod
                exporter.source.fc3-demo.access-key-id=%5$s
                exporter.source.fc3-demo.access-key-secret-file=%6$s
                exporter.source.fc3-demo.interval=2s
                exporter.source.fc3-demo.safety-lag=1s
                exporter.source.fc3-demo.rescan-window=20s
                exporter.source.fc3-demo.initial-lookback=10m
                """.formatted(dataDir.toString().replace('\\', '/'), ACCOUNT, REGION, baseUrl(), ALIBABA_KEY_ID,
                secret.toString().replace('\\', '/'));
        Files.writeString(exporterConfig(), config, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        engine.close();
    }
}
