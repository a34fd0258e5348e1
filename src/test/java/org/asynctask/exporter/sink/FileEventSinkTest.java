package org.asynctask.exporter.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TaskStatus;
import org.asynctask.exporter.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileEventSinkTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-04T23:59:59Z"));

    private static StatusChange change(String id, TaskStatus previous) {
        Task t = Task.builder()
                .location("alibaba-fc3", "main", "123", "cn-hangzhou", null, "orders", "prod")
                .taskId("task-" + id)
                .status(TaskStatus.FAILED, "Failed")
                .startedAt(Instant.parse("2026-03-04T23:00:00Z"))
                .endedAt(Instant.parse("2026-03-04T23:30:00Z"))
                .errorMessage("UnhandledInvocationError")
                .build();
        return new StatusChange(id, previous, previous == null ? null : "Running", t, t.endedAt());
    }

    @Test
    void writesCloudEventsAsJsonLinesPerProviderAndDay() throws Exception {
        try (FileEventSink sink = new FileEventSink(dir, clock)) {
            sink.publish(List.of(change("e1", TaskStatus.RUNNING), change("e2", null)));
            clock.advance(Duration.ofSeconds(2));
            sink.publish(List.of(change("e3", TaskStatus.RUNNING)));
            assertThat(sink.written()).isEqualTo(3);
        }
        List<String> day1 = Files.readAllLines(dir.resolve("alibaba-fc3/2026-03-04_0001.jsonl"));
        List<String> day2 = Files.readAllLines(dir.resolve("alibaba-fc3/2026-03-05_0001.jsonl"));
        assertThat(day1).hasSize(2);
        assertThat(day2).hasSize(1);

        JsonNode e = Json.MAPPER.readTree(day1.get(0));
        assertThat(e.get("specversion").asText()).isEqualTo("1.0");
        assertThat(e.get("id").asText()).isEqualTo("e1");
        assertThat(e.get("source").asText()).isEqualTo("/alibaba-fc3/123/cn-hangzhou/orders");
        assertThat(e.get("type").asText()).isEqualTo("org.asynctask.exporter.asynctask.status.changed.v1");
        assertThat(e.get("subject").asText()).isEqualTo("task-e1");
        assertThat(e.get("time").asText()).isEqualTo("2026-03-04T23:30:00Z");
        assertThat(e.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(e.get("taskkey").asText()).isEqualTo("alibaba-fc3/123/cn-hangzhou/-/orders/task-e1");
        assertThat(e.at("/data/previousStatus").asText()).isEqualTo("RUNNING");
        assertThat(e.at("/data/status").asText()).isEqualTo("FAILED");
        assertThat(e.at("/data/task/terminal").asBoolean()).isTrue();
        assertThat(e.at("/data/task/startedAt").asText()).isEqualTo("2026-03-04T23:00:00Z");
        assertThat(e.at("/data/task").has("payload")).isFalse();

        JsonNode first = Json.MAPPER.readTree(day1.get(1));
        assertThat(first.get("data").has("previousStatus"))
                .as("left out where the provider does not say it")
                .isFalse();
        assertThat(first.get("data").has("previousProviderStatus")).isFalse();
    }

    @Test
    void hourlyFilesAreGzippedOnceClosedAndNeverChangeAgain() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-04T10:59:59Z"));
        Path provider = dir.resolve("alibaba-fc3");
        try (FileEventSink sink = new FileEventSink(dir, new ArchiveSettings(true, 0, true, null), clock)) {
            sink.publish(List.of(change("e1", null), change("e2", TaskStatus.RUNNING)));
            assertThat(provider.resolve("2026-03-04T10_0001.jsonl")).exists();
            clock.advance(Duration.ofSeconds(2));
            sink.publish(List.of(change("e3", null)));
            Path closed = provider.resolve("2026-03-04T10_0001.jsonl.gz");
            awaitFile(closed);
            assertThat(provider.resolve("2026-03-04T10_0001.jsonl"))
                    .as("the plain copy goes")
                    .doesNotExist();
            assertThat(ids(gunzip(closed))).containsExactly("e1", "e2");
            byte[] before = Files.readAllBytes(closed);
            sink.publish(List.of(change("e4", null)));
            assertThat(Files.readAllBytes(closed)).isEqualTo(before);
            assertThat(ids(Files.readAllLines(provider.resolve("2026-03-04T11_0001.jsonl"))))
                    .containsExactly("e3", "e4");
        }
        // Closing the sink closes (and compresses) the open file too.
        assertThat(ids(gunzip(provider.resolve("2026-03-04T11_0001.jsonl.gz")))).containsExactly("e3", "e4");
        assertThat(Files.list(provider)
                        .map(p -> p.getFileName().toString())
                        .sorted()
                        .toList())
                .containsExactly("2026-03-04T10_0001.jsonl.gz", "2026-03-04T11_0001.jsonl.gz");
    }

    @Test
    void aFileThatWouldPassTheSizeLimitIsClosedAndTheNextBatchStartsANewOne() throws Exception {
        int oneEvent = eventBytes();
        try (FileEventSink sink =
                new FileEventSink(dir, new ArchiveSettings(false, oneEvent * 2L, false, null), clock)) {
            for (int i = 1; i <= 5; i++) {
                sink.publish(List.of(change("e" + i, null)));
            }
            // A batch bigger than the limit is never split.
            sink.publish(List.of(change("e6", null), change("e7", null), change("e8", null)));
        }
        List<Path> files = Files.list(dir.resolve("alibaba-fc3")).sorted().toList();
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "2026-03-04_0001.jsonl",
                        "2026-03-04_0002.jsonl",
                        "2026-03-04_0003.jsonl",
                        "2026-03-04_0004.jsonl");
        List<String> all = new ArrayList<>();
        for (Path f : files) {
            all.addAll(ids(Files.readAllLines(f)));
        }
        assertThat(all).containsExactly("e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8");
        assertThat(files.subList(0, 3))
                .allSatisfy(f -> assertThat(Files.size(f)).isLessThanOrEqualTo(oneEvent * 2L));
    }

    @Test
    void aRestartWritesANewFileAndRepairsWhatAKilledPredecessorLeftHalfWritten() throws Exception {
        Path provider = Files.createDirectories(dir.resolve("alibaba-fc3"));
        try (FileEventSink sink = new FileEventSink(dir, clock)) {
            sink.publish(List.of(change("e1", null)));
        }
        Path first = provider.resolve("2026-03-04_0001.jsonl");
        String complete = Files.readString(first);
        // A kill in the middle of a write: half a line at the end.
        Files.writeString(first, "{\"specversion\":\"1.0\",\"id\":\"e2", StandardOpenOption.APPEND);

        try (FileEventSink sink = new FileEventSink(dir, new ArchiveSettings(false, 0, true, null), clock)) {
            sink.publish(List.of(change("e2", null)));
        }
        assertThat(first).doesNotExist();
        assertThat(new String(gunzipBytes(provider.resolve("2026-03-04_0001.jsonl.gz")), StandardCharsets.UTF_8))
                .as("the torn line is cut, the complete ones kept")
                .isEqualTo(complete);
        assertThat(ids(gunzip(provider.resolve("2026-03-04_0002.jsonl.gz")))).containsExactly("e2");
    }

    @Test
    void aBackfillBesideARunningExporterLeavesTheExportersOpenFileAloneAndWritesItsOwn() throws Exception {
        Path provider = dir.resolve("alibaba-fc3");
        try (FileEventSink live = new FileEventSink(dir, new ArchiveSettings(false, 0, true, null), clock)) {
            live.publish(List.of(change("e1", null)));
            Path open = provider.resolve("2026-03-04_0001.jsonl");
            try (FileEventSink backfill =
                    new FileEventSink(dir, new ArchiveSettings(false, 0, true, null), clock, "backfill")) {
                backfill.publish(List.of(change("b1", null)));
                live.publish(List.of(change("e2", null)));
            }
            assertThat(open)
                    .as("still the exporter's, not closed by the backfill")
                    .exists();
            assertThat(ids(gunzip(provider.resolve("2026-03-04-backfill_0001.jsonl.gz"))))
                    .containsExactly("b1");
            live.publish(List.of(change("e3", null)));
        }
        assertThat(ids(gunzip(provider.resolve("2026-03-04_0001.jsonl.gz")))).containsExactly("e1", "e2", "e3");
    }

    @Test
    void closedFilesOlderThanTheRetentionAreDeleted() throws Exception {
        Path provider = Files.createDirectories(dir.resolve("alibaba-fc3"));
        Path old = Files.writeString(provider.resolve("2026-02-01_0001.jsonl.gz"), "x");
        Path recent = Files.writeString(provider.resolve("2026-03-04_0001.jsonl.gz"), "x");
        Path unrelated = Files.writeString(provider.resolve("notes.txt"), "x");
        Files.setLastModifiedTime(old, FileTime.from(Instant.parse("2026-02-01T12:00:00Z")));
        Files.setLastModifiedTime(recent, FileTime.from(Instant.parse("2026-03-04T12:00:00Z")));
        Files.setLastModifiedTime(unrelated, FileTime.from(Instant.parse("2026-01-01T12:00:00Z")));
        try (FileEventSink sink =
                new FileEventSink(dir, new ArchiveSettings(false, 0, true, Duration.ofDays(7)), clock)) {
            sink.publish(List.of(change("e1", null)));
        }
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(unrelated).as("only event files are ever deleted").exists();
        assertThat(provider.resolve("2026-03-04_0002.jsonl.gz")).exists();
    }

    private int eventBytes() throws Exception {
        Path probe = Files.createTempDirectory(dir, "probe");
        try (FileEventSink sink = new FileEventSink(probe, clock)) {
            sink.publish(List.of(change("e1", null)));
        }
        return (int) Files.size(probe.resolve("alibaba-fc3/2026-03-04_0001.jsonl"));
    }

    private static void awaitFile(Path file) throws InterruptedException {
        for (int i = 0; i < 200 && !Files.exists(file); i++) {
            Thread.sleep(25);
        }
        assertThat(file).exists();
    }

    private static byte[] gunzipBytes(Path gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static List<String> gunzip(Path gz) throws Exception {
        return new String(gunzipBytes(gz), StandardCharsets.UTF_8).lines().toList();
    }

    private static List<String> ids(List<String> lines) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            ids.add(Json.MAPPER.readTree(line).get("id").asText());
        }
        return ids;
    }

    @Test
    void failsTheWholeBatchWithTheFileNamedWhenItCannotWrite() throws Exception {
        Files.writeString(dir.resolve("alibaba-fc3"), "a file where the provider directory should be");
        try (FileEventSink sink = new FileEventSink(dir, clock)) {
            assertThatThrownBy(() -> sink.publish(List.of(change("e1", null))))
                    .isInstanceOf(SinkException.class)
                    .hasMessageContaining("alibaba-fc3");
            assertThat(sink.written()).isZero();
        }
    }
}
