package org.asynctask.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int cli(String... args) {
        return Cli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void demoWritesValidEventsAndCheckpointsAndExitsCleanly() throws Exception {
        int code = cli("demo", "--duration", "6s", "--data-dir", dir.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("demo: done.");
        List<Path> eventFiles;
        try (Stream<Path> files = Files.walk(dir.resolve("events"))) {
            eventFiles = files.filter(p -> p.toString().endsWith(".jsonl")).toList();
        }
        assertThat(eventFiles)
                .extracting(p -> p.getParent().getFileName().toString())
                .containsExactlyInAnyOrder("alibaba-fc3", "alibaba-fc2", "huawei-functiongraph", "tencent-scf");
        long events = 0;
        for (Path f : eventFiles) {
            for (String line : Files.readAllLines(f)) {
                JsonNode e = Json.MAPPER.readTree(line);
                assertThat(e.get("specversion").asText()).isEqualTo("1.0");
                assertThat(e.get("id").asText()).hasSize(32);
                assertThat(e.get("subject").asText())
                        .isEqualTo(e.at("/data/task/taskId").asText());
                assertThat(e.at("/data/status").asText())
                        .isEqualTo(e.at("/data/task/status").asText());
                events++;
            }
        }
        assertThat(events).isGreaterThan(10);
        assertThat(out.toString())
                .as("the summary counts what was written")
                .contains("demo: done. " + events + " events written");
        List<Path> checkpoints;
        try (Stream<Path> files = Files.list(dir.resolve("checkpoints"))) {
            checkpoints = files.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertThat(checkpoints)
                .as("3 FC 3.0 functions, 2 listed FC 2.0 functions, 1 discovered, 2 FunctionGraph, 2 SCF")
                .hasSize(10);
        for (Path c : checkpoints) {
            Checkpoint.fromMap(Json.MAPPER.readValue(c.toFile(), Map.class));
        }
        assertThat(dir.resolve("simulator/transitions.jsonl")).isNotEmptyFile();
        assertThat(dir.resolve("simulator/exporter.properties"))
                .content()
                .contains("exporter.source.fc3-demo.endpoint=http://127.0.0.1:");
    }

    @Test
    void aTimeGivenBeforeNowIsWholeSecondsAsItIsPrinted() {
        assertThat(CheckpointsCommand.time("--from", "-1h").getNano())
                .as("backfill and checkpoints print it")
                .isZero();
        assertThat(CheckpointsCommand.time("--from", "2026-11-22T10:00:00.250Z"))
                .as("a time written out stays as written")
                .isEqualTo(Instant.parse("2026-11-22T10:00:00.250Z"));
    }

    @Test
    void helpExitsZeroAndListsTheCommands() {
        assertThat(cli("--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "Commands:",
                        "run ",
                        "simulate ",
                        "status ",
                        "checkpoints ",
                        "backfill ",
                        "demo ",
                        "completion ");
    }

    @Test
    void eachCommandHasItsOwnHelp() {
        assertThat(cli("demo", "--help")).isZero();
        assertThat(out.toString())
                .startsWith("Usage: async-task-exporter demo")
                .contains("--duration=D", "Stop after this")
                .doesNotContain("--faults");
        out.reset();
        assertThat(cli("checkpoints", "reset", "-h")).isZero();
        assertThat(out.toString())
                .startsWith("Usage: async-task-exporter checkpoints reset")
                .contains("PARTITION", "--to=TIME");
    }

    @Test
    void theCompletionScriptKnowsTheCommandsAndTheirOptions() {
        assertThat(cli("completion")).isZero();
        assertThat(out.toString())
                .startsWith("#!/usr/bin/env bash")
                .contains("complete -F _complete_async-task-exporter")
                .contains("--bootstrap-servers", "--metrics-port", "checkpoints");
    }

    @Test
    void aNumberOptionTakesOnlyANumber() {
        assertThat(cli("simulate", "--port", "abc")).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("error: simulate: Invalid value for option '--port': 'abc' is not an int");
        assertThat(cli("checkpoints", "show", "--config", "x")).isEqualTo(2);
        assertThat(err.toString())
                .contains("error: checkpoints show needs a PARTITION: as `checkpoints list` prints it");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(cli("export")).isEqualTo(2);
        assertThat(err.toString())
                .contains("unknown command 'export'", "see: java -jar target/async-task-exporter.jar --help")
                .as("one line, not the whole help")
                .doesNotContain("Usage:");
        assertThat(cli("simulat")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown command 'simulat' (did you mean simulate?)");
    }

    @Test
    void unknownOptionsAndStrayArgumentsAreRefusedWithTheNearestKnownOne() {
        // Before, run --conf fell back to config/application.properties and demo --durtion ran for ever.
        assertThat(cli("run", "--conf", dir.resolve("x.properties").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("error: run: unknown option '--conf' (did you mean --config?)");
        assertThat(cli("demo", "--durtion", "5s", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("demo: unknown option '--durtion' (did you mean --duration?)");
        assertThat(cli("checkpoints", "list", "--conf", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("checkpoints list: unknown option '--conf' (did you mean --config?)");
        assertThat(cli("status", "--url", "http://127.0.0.1:1", "extra")).isEqualTo(2);
        assertThat(err.toString()).contains("status: unexpected argument 'extra'");
        assertThat(cli("status", "--url")).isEqualTo(2);
        assertThat(err.toString()).contains("status: --url needs a value");
        assertThat(cli("simulate", "--everything", "1")).isEqualTo(2);
        assertThat(err.toString())
                .contains("simulate: unknown option '--everything' (known: --port, --data-dir, --seed");
        assertThat(err.toString().lines().filter(l -> l.startsWith("error:")).count())
                .as("one line per refusal")
                .isEqualTo(6);
    }

    @Test
    void badConfigurationStopsStartUpNamingTheKey() throws Exception {
        Path config = dir.resolve("bad.properties");
        Files.writeString(config, """
                exporter.source.x.provider=alibaba-fc3
                exporter.source.x.account=1
                exporter.source.x.region=cn-hangzhou
                exporter.source.x.functions=f
                exporter.source.x.access-key-id=id
                exporter.source.x.access-key-secret={{env:ATE_TEST_SURELY_UNSET_VARIABLE}}
                """);
        assertThat(cli("run", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "exporter.source.x.access-key-secret: environment variable ATE_TEST_SURELY_UNSET_VARIABLE is not set");
    }

    /** Each bad value of issue 20 through the command line: its exit code, and a first line that names the key. */
    @Test
    void badValuesAreRefusedWithTheirExitCodeAndAFirstLineNamingTheKey() throws Exception {
        Path secret = Files.writeString(dir.resolve("fc3.secret"), "simulator-secret");
        String source = """
                exporter.source.x.provider=alibaba-fc3
                exporter.source.x.account=1
                exporter.source.x.region=cn-hangzhou
                exporter.source.x.endpoint=http://127.0.0.1:1
                exporter.source.x.functions=f
                exporter.source.x.access-key-id=id
                exporter.metrics.port=-1
                exporter.checkpoint.dir=%s
                """.formatted(dir.resolve("checkpoints"));
        String secretFile = "exporter.source.x.access-key-secret-file=" + secret + "\n";
        record Bad(String what, String config, int exit, String firstLine) {}
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "");
        List<Bad> bad = List.of(
                new Bad(
                        "a secret written inline",
                        "exporter.source.x.access-key-secret=LTAIsecretvalue\n",
                        2,
                        "configuration error: exporter.source.x.access-key-secret: "),
                new Bad(
                        "a secret file that is a directory",
                        "exporter.source.x.access-key-secret-file=" + dir + "\n",
                        2,
                        "configuration error: exporter.source.x.access-key-secret-file: cannot read secret file " + dir
                                + ": Is a directory"),
                new Bad(
                        "bootstrap servers without a port",
                        secretFile + "exporter.sink=kafka\nexporter.kafka.bootstrap-servers=localhost\n",
                        2,
                        "configuration error: exporter.kafka.bootstrap-servers: "),
                new Bad(
                        "bootstrap servers with a scheme",
                        secretFile + "exporter.sink=kafka\nexporter.kafka.bootstrap-servers=http://localhost:9092\n",
                        2,
                        "configuration error: exporter.kafka.bootstrap-servers: "),
                new Bad(
                        "a checkpoint directory that cannot be made",
                        secretFile + "exporter.checkpoint.dir=" + notADirectory.resolve("x") + "\n",
                        1,
                        "error: exporter.checkpoint.dir: cannot create or open checkpoint directory "
                                + notADirectory.resolve("x")));
        for (Bad b : bad) {
            Path config = Files.writeString(dir.resolve("bad.properties"), source + b.config());
            err.reset();
            assertThat(cli("run", "--config", config.toString()))
                    .as(b.what() + ": " + err)
                    .isEqualTo(b.exit());
            assertThat(err.toString().lines().findFirst().orElse(""))
                    .as(b.what())
                    .startsWith(b.firstLine());
            assertThat(err.toString())
                    .as(b.what() + ": the secret's value never shows")
                    .doesNotContain("LTAIsecretvalue", "simulator-secret");
        }
    }

    @Test
    void missingConfigFileIsNamed() {
        assertThat(cli("run", "--config", dir.resolve("nope.properties").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("nope.properties");
    }

    @Test
    void kafkaDemoNeedsBootstrapServersAndExactlyOnceNeedsKafka() {
        assertThat(cli("demo", "--duration", "1s", "--sink", "kafka", "--data-dir", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--sink kafka needs --bootstrap-servers HOST:PORT");
        assertThat(cli("demo", "--duration", "1s", "--delivery", "exactly-once", "--data-dir", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--delivery: exactly-once needs --sink kafka");
    }

    @Test
    void badDurationIsAUsageError() {
        assertThat(cli("demo", "--duration", "soon", "--data-dir", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--duration: 'soon' is not a duration");
    }
}
