package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.checkpoint.FileCheckpointStore;
import org.asynctask.exporter.cli.Cli;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.config.StoreKind;
import org.asynctask.exporter.kafka.KafkaCheckpointStore;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.EmbeddedKafka;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TruthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code checkpoints list|show|reset|delete} on both stores, against the checkpoints a real exporter
 * wrote; {@code reset} and {@code delete} refuse while an exporter holds them.
 */
class CheckpointsCommandIT {
    @TempDir
    Path dir;

    /** What a command printed and its exit code. */
    private record Outcome(int code, String out, String err) {}

    @Test
    void fileStore() throws Exception {
        exercise(Map.of());
    }

    @Test
    void kafkaStore() throws Exception {
        exercise(Map.of(
                "exporter.checkpoint.store",
                "kafka",
                "exporter.kafka.bootstrap-servers",
                EmbeddedKafka.shared().bootstrapServers(),
                "exporter.checkpoint.topic",
                "checkpoints-" + UUID.randomUUID()));
    }

    private void exercise(Map<String, String> store) throws Exception {
        Instant simStart = Instant.now();
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            Map<String, String> raw = new HashMap<>(TestExporter.raw(sim, TestExporter.FAST_POLLING, store));
            Path configFile = TestExporter.write(raw, dir.resolve("exporter.properties"));
            ExporterConfig config = ExporterConfig.parse(raw, System::getenv, Providers.catalog());
            int partitions;
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                // Until every function has scanned its first seconds and forgotten the tasks that finished in
                // them, so that a reset has something to publish again for each.
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> Readiness.caughtUpSince(app.metricsPort(), simStart.toEpochMilli() + 4_000));
                partitions = app.partitions().size();

                // Reading works while the exporter runs … (once every partition has saved its first checkpoint)
                Outcome list = cli(configFile, "list");
                for (int i = 0; i < 50 && !list.out().contains(partitions + " checkpoint(s)"); i++) {
                    Thread.sleep(200);
                    list = cli(configFile, "list");
                }
                assertThat(list.code()).as(list.err()).isZero();
                assertThat(list.out()).contains("fc3-demo/orders ").contains(partitions + " checkpoint(s)");
                // … changing does not: the exporter would overwrite it with its next save.
                Outcome refused = cli(configFile, "reset", "fc3-demo/orders", "--to", "2026-01-01T00:00:00Z");
                assertThat(refused.code()).isEqualTo(1);
                assertThat(refused.err()).contains("held by a running exporter").contains("stop it first");
                Outcome refusedDelete = cli(configFile, "delete", "fc3-demo/orders");
                assertThat(refusedDelete.code()).isEqualTo(1);
                assertThat(refusedDelete.err()).contains("held by a running exporter");
            }
            PartitionKey orders = PollTargets.of(config).stream()
                    .map(t -> t.key())
                    .filter(k -> k.displayName().equals("fc3-demo/orders"))
                    .findFirst()
                    .orElseThrow();
            Checkpoint before = load(config).get(orders);
            assertThat(before).isNotNull();

            Outcome show = cli(configFile, "show", "fc3-demo/orders");
            assertThat(show.code()).as(show.err()).isZero();
            assertThat(show.out())
                    .contains("watermark:      " + Instant.ofEpochMilli(before.watermarkMs()))
                    .contains("tracked tasks:  " + before.tracked().size());

            // Back to before the first task, for one function of each provider.
            Instant to = simStart.minusSeconds(60);
            Map<String, PartitionKey> resetOnes = new TreeMap<>();
            PollTargets.of(config).stream()
                    .map(t -> t.key())
                    .filter(k -> !k.equals(orders))
                    .forEach(k -> resetOnes.putIfAbsent(k.provider(), k));
            assertThat(resetOnes).hasSize(4);
            for (PartitionKey key : resetOnes.values()) {
                Checkpoint was = load(config).get(key);
                Outcome reset = cli(configFile, "reset", key.id(), "--to", to.toString());
                assertThat(reset.code()).as(reset.err()).isZero();
                Checkpoint after = load(config).get(key);
                assertThat(after.watermarkMs()).isEqualTo(to.toEpochMilli());
                assertThat(after.scan()).isNull();
                assertThat(after.tracked())
                        .as("tracked tasks are kept: they are not published again")
                        .isEqualTo(was.tracked());
            }

            Outcome delete = cli(configFile, "delete", "fc3-demo/orders");
            assertThat(delete.code()).as(delete.err()).isZero();
            Map<PartitionKey, Checkpoint> left = load(config);
            assertThat(left).doesNotContainKey(orders).hasSize(partitions - 1);
            assertThat(cli(configFile, "list").out())
                    .doesNotContain("fc3-demo/orders ")
                    .contains((partitions - 1) + " checkpoint(s)");

            Outcome unknown = cli(configFile, "show", "fc3-demo/nope");
            assertThat(unknown.code()).isEqualTo(1);
            assertThat(unknown.err()).contains("no partition 'fc3-demo/nope'").contains("fc3-demo/thumbnails");
            assertThat(cli(configFile, "reset", "fc3-demo/orders", "--to", "yesterday")
                            .code())
                    .isEqualTo(2);

            // The next run publishes again what the reset and deleted functions' checkpoints forgot: the
            // same events, byte for byte, under the same ids.
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                TestExporter.stopArrivalsAndAwaitFinalStatuses(sim);
            }
            PublishedEvents published = PublishedEvents.readAfterStop(TestExporter.eventsDir(sim));
            Checks.repeatsAreIdentical(published);
            Map<String, Long> repeatedByProvider = new TreeMap<>();
            Set<String> seen = new HashSet<>();
            published.events().stream()
                    .filter(e -> !seen.add(e.id()))
                    .forEach(e -> repeatedByProvider.merge(e.provider(), 1L, Long::sum));
            assertThat(repeatedByProvider)
                    .as("events published again, by provider")
                    .containsOnlyKeys(resetOnes.keySet())
                    .allSatisfy((provider, n) -> assertThat(n).isPositive());
            TruthCheck.afterTheFact().check(GroundTruth.read(sim.transitions()), published);
        }
    }

    private static Map<PartitionKey, Checkpoint> load(ExporterConfig config) {
        try (CheckpointStore store = config.checkpointStore() == StoreKind.KAFKA
                ? new KafkaCheckpointStore(config.kafka(), null, false)
                : FileCheckpointStore.readOnly(config.checkpointDir())) {
            return store.loadAll();
        }
    }

    private static Outcome cli(Path configFile, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "checkpoints";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = configFile.toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(
                all,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
