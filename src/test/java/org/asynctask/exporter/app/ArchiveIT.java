package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.camel.impl.DefaultCamelContext;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.sink.CamelEventSink;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TaskStatus;
import org.asynctask.exporter.testing.Await;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.DocumentedArchive;
import org.asynctask.exporter.testing.ExporterProcess;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.PostgresServer;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.SimulatorProcess;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TruthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL archive of docs/archive.md on a real server: the documented table, the documented
 * camel-sql endpoint as the sink, every status change in it (judged against the simulator's ground
 * truth), replays harmless, and the documented queries answering.
 */
class ArchiveIT {
    static final String URI = DocumentedArchive.URI;

    private static final int KILLS = 3;

    @TempDir
    Path dir;

    private PostgresServer postgres;

    @BeforeEach
    void start() throws Exception {
        postgres = PostgresServer.start();
        DocumentedArchive.createTable(postgres);
    }

    @AfterEach
    void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private Connection connect() throws SQLException {
        return DocumentedArchive.connect(postgres);
    }

    private PublishedEvents archived() {
        List<String> events = new ArrayList<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT event::text FROM task_events ORDER BY seq")) {
            while (rows.next()) {
                events.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return PublishedEvents.of(events);
    }

    @Test
    void everyStatusChangeIsARowAndTheDocumentedQueriesAnswer() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            ExporterConfig config = TestExporter.config(
                    sim,
                    TestExporter.FAST_POLLING,
                    TestExporter.scfWithinItsRateLimit(DocumentedArchive.configFor(postgres)));
            long started;
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                started =
                        Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30));
                Thread.sleep(3_000);
                sim.engine().stopArrivals();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                Await.allFinalStatuses(sim, this::archived, Duration.ofSeconds(45));
            }
            await("the stopped exporter closed the data source Camel Main made (its pool's threads end)")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(t -> t.getName().startsWith("HikariPool-")));
            PublishedEvents archived = archived();
            TruthCheck.polledEvery(Duration.ofMillis(300))
                    .except(ScfProvider.ID, TestExporter.SCF_INTERVAL)
                    .runningFrom(started)
                    .check(GroundTruth.read(sim.transitions()), archived);
            Checks.noDuplicateIds(archived);

            try (Connection c = connect();
                    Statement s = c.createStatement()) {
                String failedTask;
                try (ResultSet rows = s.executeQuery(
                        "SELECT task_key FROM task_events WHERE status = 'FAILED' ORDER BY seq LIMIT 1")) {
                    assertThat(rows.next())
                            .as("the busy profile fails some tasks")
                            .isTrue();
                    failedTask = rows.getString(1);
                }
                // A task's history (docs/archive.md).
                List<String> history = new ArrayList<>();
                try (var q = c.prepareStatement(
                        "SELECT time, status FROM task_events WHERE task_key = ? ORDER BY time, seq")) {
                    q.setString(1, failedTask);
                    try (ResultSet rows = q.executeQuery()) {
                        while (rows.next()) {
                            history.add(rows.getString("status"));
                        }
                    }
                }
                assertThat(history).last().isEqualTo("FAILED");
                // Failures per function per day (docs/archive.md).
                try (ResultSet rows = s.executeQuery("SELECT event -> 'data' -> 'task' ->> 'function' AS function,"
                        + " date_trunc('day', time) AS day, count(*) AS failures FROM task_events"
                        + " WHERE status = 'FAILED' GROUP BY 1, 2 ORDER BY failures DESC")) {
                    long sum = 0;
                    while (rows.next()) {
                        assertThat(rows.getString("function")).isNotBlank();
                        sum += rows.getLong("failures");
                    }
                    assertThat(sum)
                            .isEqualTo(archived.events().stream()
                                    .filter(e ->
                                            e.json().at("/data/status").asText().equals("FAILED"))
                                    .count());
                }
            }
        }
    }

    @Test
    void aBatchIsOneTransactionAndAReplayLeavesTheRowsAsTheyWere() throws Exception {
        List<StatusChange> batch = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Task task = Task.builder()
                    .location("alibaba-fc3", "main", "123", "cn-hangzhou", null, "orders", null)
                    .taskId("t-" + i)
                    .status(TaskStatus.FAILED, "Failed")
                    .startedAt(Instant.parse("2026-03-04T23:00:00Z"))
                    .build();
            batch.add(new StatusChange(
                    "e-" + i, TaskStatus.RUNNING, null, task, Instant.parse("2026-03-04T23:05:0" + i + "Z")));
        }
        PGSimpleDataSource archive = new PGSimpleDataSource();
        archive.setUrl(postgres.jdbcUrl());
        archive.setUser("postgres");
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("archive", archive);
            camel.start();
            try (CamelEventSink sink = new CamelEventSink(() -> camel, URI, DocumentedArchive.BATCH)) {
                sink.publish(batch);
                sink.publish(batch.subList(0, 2));
            }
        }
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(
                        "SELECT id, task_key, status, time, event, xmin::text AS tx FROM task_events ORDER BY seq")) {
            Set<String> transactions = new HashSet<>();
            for (StatusChange change : batch) {
                assertThat(rows.next()).as(change.eventId()).isTrue();
                assertThat(rows.getString("id")).isEqualTo(change.eventId());
                assertThat(rows.getString("task_key")).isEqualTo(change.task().taskKey());
                assertThat(rows.getString("status")).isEqualTo("FAILED");
                assertThat(rows.getTimestamp("time").toInstant()).isEqualTo(change.time());
                assertThat(rows.getString("event")).contains("\"id\": \"" + change.eventId() + "\"");
                transactions.add(rows.getString("tx"));
            }
            assertThat(rows.next())
                    .as("the replay is harmless: a row per event")
                    .isFalse();
            assertThat(transactions)
                    .as("the documented configuration inserts a batch in one transaction")
                    .hasSize(1);
        }
    }

    /**
     * The exporter as a process on the documented configuration, SIGKILLed {@value #KILLS} times while it polls
     * and restarted: what it had inserted but not checkpointed is sent again, and the upsert keeps one row per
     * event.
     */
    @Test
    void afterACrashDrillEveryFinalStatusIsOneRowAndEachRowIsItsEvent() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (SimulatorProcess sim =
                SimulatorProcess.start(dir, "--profile", "fast", "--seed", Long.toString(seed % 1000))) {
            Path config = TestExporter.write(
                    TestExporter.raw(
                            sim.exporterConfig(),
                            Map.of("interval", "300ms", "page-size", "5", "safety-lag", "300ms"),
                            DocumentedArchive.configFor(postgres)),
                    dir.resolve("exporter.properties"));
            List<TruthCheck.Window> running = new ArrayList<>();
            for (int kill = 1; kill <= KILLS; kill++) {
                try (ExporterProcess run = ExporterProcess.run(dir, config)) {
                    long before = sim.requests();
                    long up = run.awaitOrExplain(Duration.ofSeconds(30), () -> sim.requests() > before);
                    Thread.sleep(random.nextInt(3000));
                    assertThat(run.alive()).as("running before kill " + kill).isTrue();
                    run.kill();
                    running.add(new TruthCheck.Window(up, System.currentTimeMillis()));
                }
            }
            sim.control("POST", "arrivals/stop");
            try (ExporterProcess run = ExporterProcess.run(dir, config)) {
                long before = sim.requests();
                running.add(new TruthCheck.Window(
                        run.awaitOrExplain(Duration.ofSeconds(30), () -> sim.requests() > before), Long.MAX_VALUE));
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(sim::quiet);
                Await.allFinalStatuses(sim.transitions(), this::archived, Duration.ofSeconds(60));
                run.stop();
            }
            GroundTruth truth = GroundTruth.read(sim.transitions());
            PublishedEvents archived = archived();
            TruthCheck.polledEvery(Duration.ofSeconds(2)).runningIn(running).check(truth, archived);

            Map<String, Long> finalRows = new HashMap<>();
            for (PublishedEvents.Event e : archived.events()) {
                if (e.providerStatus().equals(truth.finalStatus(e.taskId()))) {
                    finalRows.merge(e.taskId(), 1L, Long::sum);
                }
            }
            assertThat(finalRows)
                    .as("seed %d: every task's final status is one row, replays included", seed)
                    .hasSameSizeAs(truth.statusesByTask())
                    .allSatisfy((task, rows) -> assertThat(rows).as(task).isEqualTo(1L));
            try (Connection c = connect();
                    Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery(
                            "SELECT id, task_key, status, time, event::text FROM task_events ORDER BY seq")) {
                int i = 0;
                while (rows.next()) {
                    JsonNode event = archived.events().get(i++).json();
                    assertThat(rows.getString("id")).isEqualTo(event.get("id").asText());
                    assertThat(rows.getString("task_key"))
                            .isEqualTo(event.get("taskkey").asText());
                    assertThat(rows.getString("status"))
                            .isEqualTo(event.at("/data/status").asText());
                    assertThat(rows.getTimestamp("time").toInstant())
                            .isEqualTo(Instant.parse(event.get("time").asText()));
                }
                assertThat(i).isEqualTo(archived.events().size());
            }
        }
    }
}
