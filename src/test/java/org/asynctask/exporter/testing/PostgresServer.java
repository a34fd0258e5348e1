package org.asynctask.exporter.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for a test: the machine's own (Debian's {@code postgresql} package, which
 * {@code .ci/run} installs when it is missing), a new cluster in a directory of the test's, on a free
 * loopback port, trust authentication for user {@code postgres}. PostgreSQL refuses to run as root, so
 * under root the cluster belongs to the {@code postgres} user and its commands run as that user.
 */
public final class PostgresServer implements AutoCloseable {
    private final Path data;
    private final Path bin;
    private final int port;

    private PostgresServer(Path data, Path bin, int port) {
        this.data = data;
        this.bin = bin;
        this.port = port;
    }

    /** Starts a new cluster in a directory of its own (a test's temporary directory is closed to other users). */
    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = binaries();
        Path data = Files.createTempDirectory("async-task-exporter-pg");
        if (root()) {
            UserPrincipal postgres =
                    data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(data, postgres);
        }
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        PostgresServer server = new PostgresServer(data, bin, port);
        server.run("initdb", "-D", data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale");
        server.run(
                "pg_ctl",
                "-D",
                data.toString(),
                "-w",
                "-t",
                "60",
                "-l",
                data.resolve("server.log").toString(),
                "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -k " + data,
                "start");
        return server;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The newest installed server's binaries (Debian keeps them per version under /usr/lib/postgresql). */
    private static Path binaries() throws IOException {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparing(
                                v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
                        .orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            }
        }
        throw new IllegalStateException("no PostgreSQL server installed (/usr/lib/postgresql/*/bin/initdb): "
                + "install Debian's postgresql package, as .ci/run does");
    }

    private void run(String tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (root()) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(tool + " failed (" + String.join(" ", cmd) + "):\n" + output);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
