package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.checkpoint.FileCheckpointStore;
import org.asynctask.exporter.cli.Cli;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.kafka.KafkaCheckpointStore;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.EmbeddedKafka;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code checkpoints list|show|reset|delete} on both stores, against the checkpoints a real exporter
 * wrote; {@code reset} and {@code delete} refuse while an exporter holds them.
 */
class CheckpointsCommandTest {
    @TempDir
    Path dir;

    /** What a command printed and its exit code. */
    private record Outcome(int code, String out, String err) {
    }

    @Test
    void fileStore() throws Exception {
        exercise(Map.of());
    }

    @Test
    void kafkaStore() throws Exception {
        exercise(Map.of("exporter.checkpoint.store", "kafka", "exporter.kafka.bootstrap-servers", EmbeddedKafka.shared().bootstrapServers(),
                "exporter.checkpoint.topic", "checkpoints-" + UUID.randomUUID()));
    }

    private void exercise(Map<String, String> store) throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, EndToEndTest.BUSY, Clock.systemUTC())) {
            Map<String, String> raw = new HashMap<>(TestExporter.raw(sim, EndToEndTest.FAST_POLLING, store));
            Path configFile = TestExporter.write(raw, dir.resolve("exporter.properties"));
            ExporterConfig config = ExporterConfig.parse(raw, System::getenv, Providers::maxPageSize);
            int partitions;
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                Thread.sleep(3_000);
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
            PartitionKey orders = ExporterApp.targets(config).stream().map(t -> t.key())
                    .filter(k -> k.displayName().equals("fc3-demo/orders")).findFirst().orElseThrow();
            Checkpoint before = load(config).get(orders);
            assertThat(before).isNotNull();

            Outcome show = cli(configFile, "show", "fc3-demo/orders");
            assertThat(show.code()).as(show.err()).isZero();
            assertThat(show.out()).contains("watermark:      " + Instant.ofEpochMilli(before.watermarkMs()))
                    .contains("tracked tasks:  " + before.tracked().size());

            Instant to = Instant.parse("2026-01-02T03:04:05Z");
            Outcome reset = cli(configFile, "reset", orders.id(), "--to", to.toString());
            assertThat(reset.code()).as(reset.err()).isZero();
            Checkpoint after = load(config).get(orders);
            assertThat(after.watermarkMs()).isEqualTo(to.toEpochMilli());
            assertThat(after.scan()).isNull();
            assertThat(after.tracked()).as("tracked tasks are kept: they are not published again").isEqualTo(before.tracked());

            Outcome delete = cli(configFile, "delete", "fc3-demo/orders");
            assertThat(delete.code()).as(delete.err()).isZero();
            Map<PartitionKey, Checkpoint> left = load(config);
            assertThat(left).doesNotContainKey(orders).hasSize(partitions - 1);
            assertThat(cli(configFile, "list").out()).doesNotContain("fc3-demo/orders ").contains((partitions - 1) + " checkpoint(s)");

            Outcome unknown = cli(configFile, "show", "fc3-demo/nope");
            assertThat(unknown.code()).isEqualTo(1);
            assertThat(unknown.err()).contains("no partition 'fc3-demo/nope'").contains("fc3-demo/thumbnails");
            assertThat(cli(configFile, "reset", "fc3-demo/orders", "--to", "yesterday").code()).isEqualTo(2);
        }
    }

    private static Map<PartitionKey, Checkpoint> load(ExporterConfig config) {
        try (CheckpointStore store = config.checkpointStore().equals("kafka")
                ? new KafkaCheckpointStore(config.kafka(), null, false) : FileCheckpointStore.readOnly(config.checkpointDir())) {
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
        int code = Cli.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
