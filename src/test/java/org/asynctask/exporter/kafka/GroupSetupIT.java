package org.asynctask.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.app.ExporterApp;
import org.asynctask.exporter.app.Providers;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.cli.Cli;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.EmbeddedKafka;
import org.asynctask.exporter.testing.KafkaOutputs;
import org.asynctask.exporter.testing.MemberStatus;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Setting a group up. From one exporter to a group: the single exporter's one-partition checkpoint topic is
 * refused by a group configuration (never read in part), {@code checkpoints migrate} copies every checkpoint
 * into a topic with one partition per shard, each in its shard's partition, and the group carries on from
 * them: nothing published again. A member that cannot join its group is not ready, and says why.
 */
class GroupSetupIT {
    @TempDir
    Path dir;

    private final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private final String single = "checkpoints-" + UUID.randomUUID();
    private final String grouped = single + ".group";

    @Test
    void aSingleExportersCheckpointsMoveToAGroupsTopicAndTheGroupCarriesOn() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            Map<String, String> raw = new HashMap<>(TestExporter.raw(
                    sim,
                    TestExporter.FAST_POLLING,
                    Map.of(
                            "exporter.checkpoint.store",
                            "kafka",
                            "exporter.kafka.bootstrap-servers",
                            kafka.bootstrapServers(),
                            "exporter.checkpoint.topic",
                            single)));
            long started = System.currentTimeMillis();
            try (ExporterApp app = new ExporterApp(parse(raw), Clock.systemUTC())) {
                app.start();
                Readiness.awaitCaughtUp(app.metricsPort(), started, Duration.ofSeconds(60));
            }
            Map<PartitionKey, Checkpoint> before = load(raw);
            assertThat(before).isNotEmpty();

            raw.put("exporter.group.id", "group-" + single);
            try (ExporterApp refused = new ExporterApp(parse(raw), Clock.systemUTC())) {
                assertThatThrownBy(refused::start)
                        .hasMessageContaining("checkpoint topic " + single + " has 1 partition(s)")
                        .hasMessageContaining("exporter.group.shards=12")
                        .hasMessageContaining("checkpoints migrate --to");
            }

            Path configFile = TestExporter.write(raw, dir.resolve("group.properties"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = Cli.run(
                    new String[] {"checkpoints", "migrate", "--to", grouped, "--config", configFile.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .contains("copied " + before.size() + " checkpoint(s) from " + single + " to " + grouped);

            raw.put("exporter.checkpoint.topic", grouped);
            ExporterConfig group = parse(raw);
            assertThat(load(raw)).as("every checkpoint, as it was").isEqualTo(before);
            try (TopicReader records = new TopicReader(kafka.bootstrapServers(), grouped, true)) {
                for (ConsumerRecord<String, byte[]> r : KafkaEndToEndIT.readAll(records)) {
                    assertThat(r.partition())
                            .as("%s sits in its shard's partition", r.key())
                            .isEqualTo(group.kafka().group().shardOf(r.key()));
                }
            }

            long restarted = System.currentTimeMillis();
            try (ExporterApp member = new ExporterApp(group, Clock.systemUTC())) {
                member.start();
                Readiness.awaitCaughtUp(member.metricsPort(), restarted, Duration.ofSeconds(60));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> member.partitions().size() == before.size());
            }
            Checks.noDuplicateIds(PublishedEvents.readAfterStop(TestExporter.eventsDir(sim)));
        }
    }

    @Test
    void aMemberThatCannotReachKafkaIsNotReadyAndSaysWhy() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            Map<String, String> raw = new HashMap<>(TestExporter.raw(
                    sim,
                    TestExporter.FAST_POLLING,
                    Map.of(
                            "exporter.checkpoint.store", "kafka",
                            "exporter.kafka.bootstrap-servers", "127.0.0.1:1",
                            "exporter.group.id", "unreachable")));
            try (ExporterApp member = new ExporterApp(parse(raw), Clock.systemUTC())) {
                member.start();
                Readiness.Answer ready = Readiness.awaitReady(member.metricsPort(), 503, Duration.ofSeconds(30));
                assertThat(ready.body()).contains("not a member of consumer group unreachable");
                JsonNode group = Json.MAPPER
                        .readTree(Readiness.get(member.metricsPort(), "/status").body())
                        .path("group");
                assertThat(group.path("status").asText()).isEqualTo("DOWN");
                assertThat(group.path("reason").asText()).contains("127.0.0.1:1");
            }
        }
    }

    /**
     * More members than shards: the ones without a shard are ready standbys, and when a holder stops, a
     * standby takes its shard over and polls its partitions.
     */
    @Test
    void membersBeyondTheShardsAreReadyStandbysAndOneTakesOverWhenAHolderStops() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            Map<String, String> keys = KafkaOutputs.group(kafka, "events-" + single);
            keys.put("exporter.group.shards", "2");
            Map<String, String> raw =
                    TestExporter.raw(sim, TestExporter.FAST_POLLING, TestExporter.scfWithinItsRateLimit(keys));
            ExporterConfig config = parse(raw);
            List<ExporterApp> members = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    ExporterApp member = new ExporterApp(config, Clock.systemUTC());
                    members.add(member);
                    member.start();
                }
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> members.stream()
                                .map(m -> held(m).size())
                                .sorted()
                                .toList()
                                .equals(List.of(0, 1, 1)));
                ExporterApp standby = members.stream()
                        .filter(m -> held(m).isEmpty())
                        .findFirst()
                        .orElseThrow();
                assertThat(Readiness.awaitReady(standby.metricsPort(), 200, Duration.ofSeconds(30))
                                .code())
                        .as("a standby is ready")
                        .isEqualTo(200);
                assertThat(standby.partitions()).as("a standby polls nothing").isEmpty();

                ExporterApp holder =
                        members.stream().filter(m -> m != standby).findFirst().orElseThrow();
                Set<Integer> moved = held(holder);
                holder.close();
                members.remove(holder);
                long stopped = System.currentTimeMillis();
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> held(standby).equals(moved));
                Readiness.awaitCaughtUp(standby.metricsPort(), stopped, Duration.ofSeconds(60));
                assertThat(standby.partitions())
                        .as("the standby polls the stopped holder's partitions")
                        .isNotEmpty();

                // While any member runs, the checkpoints are theirs: reset and delete refuse.
                Path configFile = TestExporter.write(raw, dir.resolve("members.properties"));
                String held = standby.partitions().get(0).id();
                for (String[] command : List.of(
                        new String[] {"reset", held, "--to", "2026-01-01T00:00:00Z"}, new String[] {"delete", held})) {
                    ByteArrayOutputStream err = new ByteArrayOutputStream();
                    List<String> args = new ArrayList<>(List.of("checkpoints"));
                    args.addAll(List.of(command));
                    args.addAll(List.of("--config", configFile.toString()));
                    int code = Cli.run(
                            args.toArray(String[]::new),
                            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
                    assertThat(code).as(command[0] + " while the group runs").isEqualTo(1);
                    assertThat(err.toString(StandardCharsets.UTF_8)).contains("held by a running exporter");
                }
            } finally {
                for (ExporterApp m : members) {
                    m.close();
                }
            }
        }
    }

    private static Set<Integer> held(ExporterApp member) {
        return MemberStatus.held(member.metricsPort());
    }

    private static ExporterConfig parse(Map<String, String> raw) {
        return ExporterConfig.parse(raw, System::getenv, Providers.catalog());
    }

    private static Map<PartitionKey, Checkpoint> load(Map<String, String> raw) {
        try (KafkaCheckpointStore store = new KafkaCheckpointStore(parse(raw).kafka(), null, false)) {
            return store.loadAll();
        }
    }
}
