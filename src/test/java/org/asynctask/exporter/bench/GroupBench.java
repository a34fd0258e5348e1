package org.asynctask.exporter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.app.ExporterApp;
import org.asynctask.exporter.app.Providers;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.simulator.Faults;
import org.asynctask.exporter.simulator.FunctionSim;
import org.asynctask.exporter.simulator.SimPopulation;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.EmbeddedKafka;
import org.asynctask.exporter.testing.ExporterProcess;
import org.asynctask.exporter.testing.KafkaOutputs;
import org.asynctask.exporter.testing.MemberStatus;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TopicReader;

/**
 * The group part ({@code -Dbench.only=group}): group mode at-least-once on a broker in this JVM, against
 * {@value #FUNCTIONS} FC 3.0 functions (two per shard on average). Throughput of 1, 2 and 3 members (in this
 * JVM, on the same two cores: it shows what the group costs, not what more machines would give), then three
 * member processes with live arrivals, one killed with SIGKILL: the failover time, and the freshness of what
 * was published before and across it.
 */
final class GroupBench {
    private static final int FUNCTIONS = 24;
    private final Path root;
    private final int tasks;

    GroupBench(Path root, int tasks) {
        this.root = root;
        this.tasks = tasks;
    }

    /** @return the table rows: what, figure, target */
    List<String[]> run() throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (EmbeddedKafka broker = EmbeddedKafka.start()) {
            drain(broker, 1); // unmeasured: the JIT's warm-up
            for (int members = 1; members <= 3; members++) {
                rows.add(new String[] {
                    String.format(
                            Locale.ROOT,
                            "group mode at-least-once, %d member(s) in one JVM: FC 3.0 backlog of %,d finished tasks"
                                    + " in %d functions → Kafka, from the first member's start (joining included)",
                            members,
                            tasks,
                            FUNCTIONS),
                    String.format(Locale.ROOT, "%,.0f events/s", drain(broker, members)),
                    members == 1 ? "" : "no gain on 2 cores: the members share them"
                });
            }
            rows.addAll(failover(broker));
        }
        return rows;
    }

    /** FC 3.0 sources only, from a simulator serving {@value #FUNCTIONS} functions of each provider. */
    private static Map<String, String> fc3Sources(
            SimulatorServer sim, Map<String, String> overrides, Map<String, String> global) {
        Map<String, String> raw = TestExporter.raw(sim, overrides, global);
        Set<String> other = new HashSet<>();
        raw.forEach((k, v) -> {
            if (k.startsWith("exporter.source.") && k.endsWith(".provider") && !v.equals(Fc3Provider.ID)) {
                other.add(k.substring(0, k.length() - "provider".length()));
            }
        });
        raw.keySet().removeIf(k -> other.stream().anyMatch(k::startsWith));
        return raw;
    }

    /** Events per second of {@code members} in-JVM members draining the backlog. */
    private double drain(EmbeddedKafka broker, int members) throws Exception {
        Path dir = Files.createDirectories(root.resolve("group-drain-" + System.nanoTime()));
        try (SimulatorServer sim = SimulatorServer.start(
                0,
                dir,
                new SimProfile(1, 0.0001, Duration.ofSeconds(1), Duration.ofSeconds(1), 0),
                Clock.systemUTC(),
                Faults.none(),
                SimPopulation.functions(FUNCTIONS))) {
            sim.engine().stopArrivals();
            List<FunctionSim> fc3 = sim.engine().functions(Fc3Provider.ID);
            for (FunctionSim f : fc3) {
                sim.engine().addFinishedTasks(f, tasks / fc3.size(), Duration.ofMinutes(30));
            }
            int events = tasks / fc3.size() * fc3.size();
            ExporterConfig config = ExporterConfig.parse(
                    fc3Sources(
                            sim,
                            Map.of(
                                    "page-size",
                                    "100",
                                    "interval",
                                    "1s",
                                    "initial-lookback",
                                    "1h",
                                    "max-pages-per-poll",
                                    "1000"),
                            KafkaOutputs.group(broker, "bench-group-" + UUID.randomUUID())),
                    System::getenv,
                    Providers.catalog());
            List<ExporterApp> apps = new ArrayList<>();
            try {
                long start = System.nanoTime();
                for (int i = 0; i < members; i++) {
                    ExporterApp app = new ExporterApp(config, Clock.systemUTC());
                    apps.add(app);
                    app.start();
                }
                long deadline = start + Duration.ofMinutes(5).toNanos();
                while (published(apps) < events && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                if (published(apps) < events) {
                    throw new IllegalStateException("only " + published(apps) + " of " + events + " events in 5 min");
                }
                return events / ((System.nanoTime() - start) / 1e9);
            } finally {
                for (ExporterApp app : apps) {
                    app.close();
                }
            }
        }
    }

    private static long published(List<ExporterApp> apps) {
        return apps.stream().mapToLong(a -> a.stats().events.get()).sum();
    }

    /**
     * Three member processes with arrivals; once they share the shards and watch every partition, the one
     * with the most partitions is killed. Failover: from the kill until every partition has been polled
     * again. Freshness: from a status change's time to its record's timestamp on the topic (the first copy).
     */
    private List<String[]> failover(EmbeddedKafka broker) throws Exception {
        Path dir = Files.createDirectories(root.resolve("group-failover"));
        String topic = "bench-group-failover-" + UUID.randomUUID();
        try (SimulatorServer sim = SimulatorServer.start(
                0,
                dir,
                new SimProfile(5, 2, Duration.ofMillis(400), Duration.ofSeconds(4), 0.15),
                Clock.systemUTC(),
                Faults.none(),
                SimPopulation.functions(FUNCTIONS))) {
            Path config = TestExporter.write(
                    fc3Sources(
                            sim,
                            Map.of("interval", "1s", "safety-lag", "300ms", "initial-lookback", "1m"),
                            KafkaOutputs.group(broker, topic)),
                    dir.resolve("exporter.properties"));
            List<ExporterProcess> processes = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Path memberDir = Files.createDirectories(dir.resolve("member-" + i));
                    int port = Readiness.freePort();
                    ports.add(port);
                    processes.add(ExporterProcess.run(memberDir, config, port));
                }
                long deadline =
                        System.currentTimeMillis() + Duration.ofMinutes(2).toMillis();
                while (!spread(ports) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
                long up = 0;
                for (int port : ports) {
                    up = Math.max(
                            up, Readiness.awaitCaughtUp(port, System.currentTimeMillis(), Duration.ofSeconds(60)));
                }
                int partitions = ports.stream()
                        .mapToInt(p -> MemberStatus.partitions(p).size())
                        .sum();
                Thread.sleep(10_000); // steady state, for the freshness before
                int victim = 0;
                for (int i = 1; i < ports.size(); i++) {
                    if (MemberStatus.partitions(ports.get(i)).size()
                            > MemberStatus.partitions(ports.get(victim)).size()) {
                        victim = i;
                    }
                }
                processes.get(victim).kill();
                long killed = System.currentTimeMillis();
                List<Integer> left = new ArrayList<>(ports);
                left.remove(victim);
                while (MemberStatus.polledSince(left, killed) < partitions
                        && System.currentTimeMillis() < killed + 60_000) {
                    Thread.sleep(100);
                }
                long failedOver = System.currentTimeMillis();
                Thread.sleep(10_000);
                List<ConsumerRecord<String, byte[]>> records = readAll(broker, topic);
                List<Long> before = new ArrayList<>();
                List<Long> across = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                for (ConsumerRecord<String, byte[]> r : records) {
                    JsonNode event = Json.MAPPER.readTree(new String(r.value(), StandardCharsets.UTF_8));
                    if (!seen.add(event.path("id").asText())) {
                        continue; // a repeat: a consumer already had the first copy
                    }
                    long time = Instant.parse(event.path("time").asText()).toEpochMilli();
                    // A change made just before the kill on the killed member's partitions waits for the
                    // failover too: the steady window ends two poll intervals before it.
                    long steadyEnd = killed - 2_000;
                    if (time >= up && time < steadyEnd) {
                        before.add(r.timestamp() - time);
                    } else if (time >= steadyEnd && time < failedOver) {
                        across.add(r.timestamp() - time);
                    }
                }
                return List.of(
                        new String[] {
                            String.format(
                                    Locale.ROOT,
                                    "group failover: 3 member processes, %d FC 3.0 partitions polled every 1 s, the"
                                            + " busiest member killed with SIGKILL → every partition polled again",
                                    partitions),
                            failedOver - killed >= 60_000
                                    ? "not within 60 s"
                                    : String.format(Locale.ROOT, "%.1f s", (failedOver - killed) / 1000.0),
                            "≤ session timeout (10 s) + 10 s"
                        },
                        new String[] {
                            "group freshness (status change → its record on the topic): steady / changes made from 2 s before"
                                    + " the kill until the failover",
                            String.format(Locale.ROOT, "%s / %s", percentiles(before), percentiles(across)),
                            ""
                        });
            } finally {
                for (ExporterProcess p : processes) {
                    p.close();
                }
            }
        }
    }

    /** Every record on the topic so far: read until a read brings nothing new. */
    private static List<ConsumerRecord<String, byte[]>> readAll(EmbeddedKafka broker, String topic) {
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), topic, false)) {
            int before;
            List<ConsumerRecord<String, byte[]>> records;
            do {
                before = reader.read(Duration.ZERO).size();
                records = reader.read(Duration.ofSeconds(2));
            } while (records.size() > before);
            return new ArrayList<>(records);
        }
    }

    /** Every shard held by one member, each member holding as many as the others (±1). */
    private static boolean spread(List<Integer> ports) {
        List<Integer> counts = new ArrayList<>();
        Set<Integer> all = new HashSet<>();
        int total = 0;
        for (int port : ports) {
            Set<Integer> held = MemberStatus.held(port);
            counts.add(held.size());
            all.addAll(held);
            total += held.size();
        }
        return total == all.size()
                && all.size() == 12
                && counts.stream().mapToInt(i -> i).max().orElse(0)
                                - counts.stream().mapToInt(i -> i).min().orElse(0)
                        <= 1;
    }

    private static String percentiles(List<Long> delays) {
        if (delays.isEmpty()) {
            return "none";
        }
        List<Long> sorted = new ArrayList<>(delays);
        sorted.sort(null);
        return String.format(
                Locale.ROOT,
                "p50 %.2f s, p90 %.2f s, p99 %.2f s (%d changes)",
                sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get((int) (sorted.size() * 0.9)) / 1000.0,
                sorted.get((int) (sorted.size() * 0.99)) / 1000.0,
                sorted.size());
    }
}
