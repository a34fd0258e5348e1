package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.asynctask.exporter.cli.Cli;
import org.asynctask.exporter.simulator.Faults;
import org.asynctask.exporter.simulator.SimulatedAlibaba;
import org.asynctask.exporter.simulator.SimulatedFunctionGraph;
import org.asynctask.exporter.simulator.SimulatedScf;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.ExporterProcess;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter runs at TRACE (root, Camel, Kafka) against the simulators, with faults, and with extra
 * sources whose recognisable credentials are wrong, so requests fail on signatures and tokens too.
 * and a webhook whose URL (its token in it) and signing secret come from files, on a port that refuses.
 * No credential may appear in its log, its events, its checkpoints, its {@code /status} and {@code /metrics},
 * {@code --help}, a start-up error, or the configuration file itself (every secret is a file's).
 */
class SecretsTest {
    private static final String CANARY_KEY_ID = "LTAIcanaryKeyId7Q2";
    private static final String CANARY_SECRET = "canary-secret-9f8e7d6c5b4a";
    private static final String CANARY_TOKEN = "canary-iam-token-MIIZ1x2y3z";
    private static final String CANARY_SECRET_ID = "AKIDcanarySecretId4455";
    private static final String CANARY_SECRET_KEY = "canary-tencent-key-0a9b8c";
    /** A webhook whose token is in its URL (DingTalk's way), on a port nothing listens on: every delivery fails and is logged. */
    private static final String CANARY_WEBHOOK_TOKEN = "canary-webhook-token-77aa";

    private static final String CANARY_WEBHOOK_SECRET = "SECcanary-webhook-sign-31cd";

    @TempDir
    Path dir;

    @Test
    void noCredentialAppearsInAnyOutputAtAnyLogLevel() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(
                0,
                dir,
                TestExporter.BUSY,
                Clock.systemUTC(),
                Faults.parse("server-error=0.05,throttle=0.05,truncated=0.05,malformed=0.05", 3))) {
            Path simDir = sim.exporterConfig().getParent();
            List<String> secrets = new ArrayList<>(List.of(
                    CANARY_KEY_ID,
                    CANARY_SECRET,
                    CANARY_TOKEN,
                    CANARY_SECRET_ID,
                    CANARY_SECRET_KEY,
                    SimulatedAlibaba.KEY_ID,
                    SimulatedFunctionGraph.AK,
                    SimulatedScf.SECRET_ID,
                    SimulatedFunctionGraph.TOKEN,
                    CANARY_WEBHOOK_TOKEN,
                    CANARY_WEBHOOK_SECRET));
            for (String f : List.of("alibaba-demo.secret", "huawei-demo.secret", "tencent-demo.secret")) {
                secrets.add(Files.readString(simDir.resolve(f)).strip());
            }
            Map<String, String> raw = new HashMap<>(TestExporter.raw(sim, TestExporter.FAST_POLLING, Map.of()));
            Files.writeString(dir.resolve("canary.secret"), CANARY_SECRET + "\n");
            Files.writeString(dir.resolve("canary.token"), CANARY_TOKEN + "\n");
            Files.writeString(dir.resolve("canary-tencent.secret"), CANARY_SECRET_KEY + "\n");
            Files.writeString(dir.resolve("huawei.token"), SimulatedFunctionGraph.TOKEN + "\n");
            Files.writeString(
                    dir.resolve("webhook.url"),
                    "http://127.0.0.1:9/robot/send?access_token=" + CANARY_WEBHOOK_TOKEN + "\n");
            Files.writeString(dir.resolve("webhook.secret"), CANARY_WEBHOOK_SECRET + "\n");
            raw.put("exporter.alert.webhook.ops.format", "dingtalk");
            raw.put(
                    "exporter.alert.webhook.ops.url-file",
                    dir.resolve("webhook.url").toString());
            raw.put(
                    "exporter.alert.webhook.ops.secret-file",
                    dir.resolve("webhook.secret").toString());
            int metricsPort = Readiness.freePort();
            raw.put("exporter.metrics.port", Integer.toString(metricsPort));
            copySource(
                    raw,
                    "fc3-demo",
                    "canary-fc3",
                    Map.of(
                            "access-key-id",
                            CANARY_KEY_ID,
                            "access-key-secret-file",
                            dir.resolve("canary.secret").toString()));
            copySource(
                    raw,
                    "huawei-demo",
                    "canary-huawei",
                    Map.of("auth-token-file", dir.resolve("canary.token").toString()));
            copySource(
                    raw,
                    "huawei-demo",
                    "token-huawei",
                    Map.of("auth-token-file", dir.resolve("huawei.token").toString()));
            copySource(
                    raw,
                    "tencent-demo",
                    "canary-tencent",
                    Map.of(
                            "access-key-id",
                            CANARY_SECRET_ID,
                            "access-key-secret-file",
                            dir.resolve("canary-tencent.secret").toString()));
            Path config = TestExporter.write(raw, dir.resolve("exporter.properties"));

            String status;
            String metrics;
            try (ExporterProcess run = ExporterProcess.run(
                    dir, config, "-DLOG_LEVEL=TRACE", "-DCAMEL_LOG_LEVEL=TRACE", "-DKAFKA_LOG_LEVEL=TRACE")) {
                // Until it has done what this test is about (a JVM at TRACE boots slowly on a loaded machine).
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            String sofar = ExporterProcess.log(dir);
                            return sofar.contains("InvalidAccessKeyId.NotFound")
                                    && sofar.contains("APIGW.0301")
                                    && sofar.contains("AuthFailure.SecretIdNotFound")
                                    && sofar.contains("MalformedResponse")
                                    && sofar.contains("canary-fc3/orders: FAILED, needs a fix");
                        });
                // What an operator and a scraper see of it, while its partitions fail on the canaries.
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> Readiness.get(metricsPort, "/metrics")
                                .body()
                                .contains("asynctask_exporter_alerts_total"));
                status = Readiness.get(metricsPort, "/status").body();
                metrics = Readiness.get(metricsPort, "/metrics").body();
                run.stop();
            }
            String log = ExporterProcess.log(dir);
            // The run really did what this test is about: TRACE output, refused credentials, injected faults.
            assertThat(log)
                    .contains("TRACE")
                    .contains("InvalidAccessKeyId.NotFound")
                    .contains("APIGW.0301")
                    .contains("AuthFailure.SecretIdNotFound")
                    .contains("MalformedResponse");
            // The partitions with bad credentials are marked failed; the others carry on publishing.
            assertThat(log).contains("canary-fc3/orders: FAILED, needs a fix");
            // Masked, not merely absent: the credentials the providers' errors name come out as ****.
            assertThat(log).contains("****");
            assertThat(status).contains("canary-fc3").contains("lastError");
            try (Stream<Path> providers = Files.list(dir.resolve("events"))) {
                assertThat(providers.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder("alibaba-fc3", "alibaba-fc2", "huawei-functiongraph", "tencent-scf");
            }

            ByteArrayOutputStream help = new ByteArrayOutputStream();
            Cli.run(new String[] {"--help"}, new PrintStream(help, true, StandardCharsets.UTF_8), System.err);
            raw.put("exporter.source.canary-fc3.page-size", "1000");
            ByteArrayOutputStream error = new ByteArrayOutputStream();
            int exit = Cli.run(
                    new String[] {
                        "run",
                        "--config",
                        TestExporter.write(raw, dir.resolve("bad.properties")).toString()
                    },
                    System.out,
                    new PrintStream(error, true, StandardCharsets.UTF_8));
            assertThat(exit).isEqualTo(2);
            assertThat(error.toString(StandardCharsets.UTF_8)).contains("exporter.source.canary-fc3.page-size");

            Map<String, String> outputs = new HashMap<>();
            outputs.put("exporter log", log);
            outputs.put("--help", help.toString(StandardCharsets.UTF_8));
            outputs.put("start-up error", error.toString(StandardCharsets.UTF_8));
            outputs.put("/status", status);
            outputs.put("/metrics", metrics);
            outputs.putAll(files(dir.resolve("events")));
            outputs.putAll(files(dir.resolve("checkpoints")));
            assertThat(outputs.keySet()).anyMatch(k -> k.endsWith(".jsonl")).anyMatch(k -> k.contains("checkpoints"));
            List<String> leaks = new ArrayList<>();
            outputs.forEach((name, text) -> secrets.forEach(s -> {
                if (text.contains(s)) {
                    leaks.add(name + " contains " + s.substring(0, 4) + "…");
                }
            }));
            // The configuration names its key ids (they are not secrets), never a secret value: those are files'.
            Set<String> keyIds = Set.of(
                    CANARY_KEY_ID,
                    CANARY_SECRET_ID,
                    SimulatedAlibaba.KEY_ID,
                    SimulatedFunctionGraph.AK,
                    SimulatedScf.SECRET_ID);
            String configText = Files.readString(config);
            secrets.stream()
                    .filter(s -> !keyIds.contains(s) && configText.contains(s))
                    .forEach(s -> leaks.add("the configuration file contains " + s.substring(0, 4) + "…"));
            System.out.printf(
                    "secrets test: searched %d outputs (%d KB of TRACE log) for %d credential values%n",
                    outputs.size(), log.length() / 1024, secrets.size());
            assertThat(leaks).as("credentials found in outputs").isEmpty();
        }
    }

    /** Adds source {@code to} as a copy of {@code from} with some keys replaced (credential keys of {@code from} dropped). */
    private static void copySource(Map<String, String> raw, String from, String to, Map<String, String> replace) {
        String p = "exporter.source." + from + ".";
        Map<String, String> copy = new HashMap<>();
        raw.forEach((k, v) -> {
            if (k.startsWith(p) && !k.contains("access-key") && !k.contains("auth-token")) {
                copy.put("exporter.source." + to + "." + k.substring(p.length()), v);
            }
        });
        replace.forEach((k, v) -> copy.put("exporter.source." + to + "." + k, v));
        raw.putAll(copy);
    }

    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> m = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                m.put(f.toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        return m;
    }
}
