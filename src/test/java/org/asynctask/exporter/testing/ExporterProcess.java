package org.asynctask.exporter.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.asynctask.exporter.cli.Cli;
import org.awaitility.core.ConditionTimeoutException;

/** The exporter in a child JVM, so that a test can kill it for real (SIGKILL). */
public final class ExporterProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;

    private ExporterProcess(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    /** Writes the configuration to {@code dir/exporter.properties} and starts the exporter with it, without pauses. */
    public static ExporterProcess start(Path dir, Map<String, String> config) {
        return start(dir, config, 0, 1, SlowCheckpointExporter.Window.BEFORE_SAVE);
    }

    /**
     * Writes the configuration to {@code dir/exporter.properties} and starts the exporter with it, pausing
     * {@code pauseMs} at every {@code every}-th checkpoint save, on the {@code window} side of it (see
     * {@link SlowCheckpointExporter}).
     */
    public static ExporterProcess start(
            Path dir, Map<String, String> config, long pauseMs, int every, SlowCheckpointExporter.Window window) {
        try {
            Path file = dir.resolve("exporter.properties");
            Properties p = new Properties();
            p.putAll(config);
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, "written by a test");
            }
            return launch(
                    dir,
                    List.of(
                            SlowCheckpointExporter.class.getName(),
                            file.toString(),
                            Long.toString(pauseMs),
                            Integer.toString(every),
                            window.name()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The product's own command line: {@code run --config FILE}, logging to {@code dir/exporter.log}. */
    public static ExporterProcess run(Path dir, Path configFile, String... jvmOptions) {
        return run(dir, configFile, List.of(), jvmOptions);
    }

    /** {@code run --config FILE --metrics-port PORT}: for {@link #awaitCaughtUp}. */
    public static ExporterProcess run(Path dir, Path configFile, int metricsPort) {
        return run(dir, configFile, List.of("--metrics-port", Integer.toString(metricsPort)));
    }

    private static ExporterProcess run(Path dir, Path configFile, List<String> runOptions, String... jvmOptions) {
        List<String> args = new ArrayList<>(List.of(jvmOptions));
        args.addAll(List.of(Cli.class.getName(), "run", "--config", configFile.toString()));
        args.addAll(runOptions);
        try {
            return launch(dir, args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The product's {@code demo --data-dir DIR/data} with {@code options}, logging to {@code dir/exporter.log}. */
    public static ExporterProcess demo(Path dir, String... options) {
        List<String> args = new ArrayList<>(List.of(
                Cli.class.getName(), "demo", "--data-dir", dir.resolve("data").toString()));
        args.addAll(List.of(options));
        try {
            return launch(dir, args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ExporterProcess launch(Path dir, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Without logback.configurationFile: the product's logging (LogSetup), not the tests' quiet one.
                "-Xmx256m",
                // C1 only and one GC thread: the tests judge what the exporter does, not what C2 makes of it,
                // and a child then takes half the CPU (a 20 s demo: 2.8 s instead of 5.3 s), which on two
                // cores is the difference between a test beside it keeping its pace or not.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path")));
        // To see a child's polls when a test fails: mvn test -Dtest=... -Dchild.log-level=DEBUG
        if (System.getProperty("child.log-level") != null) {
            cmd.add("-DLOG_LEVEL=" + System.getProperty("child.log-level"));
        }
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(dir.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(
                ProcessBuilder.Redirect.appendTo(dir.resolve("exporter.log").toFile()));
        return new ExporterProcess(pb.start(), dir);
    }

    /** SIGKILL: no shutdown hook, no graceful stop, whatever it was doing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the process freezes, threads and sockets as they are, as in a long GC pause; {@link #resume} ends it. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT: a paused process carries on where it was, unaware of the time it lost. */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor(5, TimeUnit.SECONDS);
    }

    /** SIGINT, as Ctrl-C in a terminal sends it; {@link #awaitExit} waits for the stop. */
    public void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor(5, TimeUnit.SECONDS);
    }

    /** SIGTERM, then wait for the graceful shutdown. @return the exit code */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            printDiagnostics();
            process.destroyForcibly();
            throw new IllegalStateException(
                    "the exporter did not stop within 30 s of SIGTERM; its log's end and threads are printed above");
        }
        return process.exitValue();
    }

    /**
     * For a test that gives up waiting on the exporter: its threads (SIGQUIT) and the end of its log, printed
     * to the console, which is all CI keeps.
     */
    public void printDiagnostics() throws InterruptedException {
        dumpThreads();
        List<String> lines = log(dir).lines().toList();
        System.out.println(String.join("\n", lines.subList(Math.max(0, lines.size() - 400), lines.size())));
    }

    /** SIGQUIT: the JVM prints every thread's stack to its output (our exporter.log), and goes on. */
    private void dumpThreads() throws InterruptedException {
        try {
            new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
            Thread.sleep(1_000);
        } catch (IOException e) {
            System.err.println("could not ask the exporter for a thread dump: " + e.getMessage());
        }
    }

    /**
     * Waits until the exporter, serving its metrics on {@code metricsPort}, watches every function
     * ({@link Readiness#awaitCaughtUp}); on time-out, prints its threads and log before failing. @return when it did
     */
    public long awaitCaughtUp(int metricsPort, long sinceMs, Duration atMost) throws InterruptedException {
        try {
            return Readiness.awaitCaughtUp(metricsPort, sinceMs, atMost);
        } catch (AssertionError e) {
            printDiagnostics();
            throw e;
        }
    }

    /** Waits for the condition; on time-out, prints the exporter's threads and log before failing. @return when it held */
    public long awaitOrExplain(Duration atMost, Callable<Boolean> condition) throws InterruptedException {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(5)).until(condition);
            return System.currentTimeMillis();
        } catch (ConditionTimeoutException e) {
            printDiagnostics();
            throw e;
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself. @return its exit code, or null if it still runs after {@code timeout} */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** Its process id, as the exporter names itself to other exporters (PID@HOST). */
    public long pid() {
        return process.pid();
    }

    public static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("exporter.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
