package org.asynctask.exporter.testing;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The PostgreSQL archive exactly as docs/archive.md gives it: its table (docs/archive-postgresql.sql) and its
 * configuration (the page's first properties block), so that the tests and the benchmark hold the page to what
 * they run.
 */
public final class DocumentedArchive {
    /** The documented configuration as written (a placeholder database and a password from the environment). */
    public static final Map<String, String> CONFIG = read();

    /** The documented camel-sql endpoint. */
    public static final String URI = CONFIG.get("exporter.sink.uri");

    /** Whether the documented configuration sends a batch as one message. */
    public static final boolean BATCH = Boolean.parseBoolean(CONFIG.getOrDefault("exporter.sink.batch", "false"));

    private DocumentedArchive() {}

    private static Map<String, String> read() {
        try {
            String page = Files.readString(Path.of("docs/archive.md"));
            int start = page.indexOf("```properties\n") + "```properties\n".length();
            Properties p = new Properties();
            p.load(new StringReader(page.substring(start, page.indexOf("```", start))));
            Map<String, String> config = new LinkedHashMap<>();
            p.stringPropertyNames().forEach(k -> config.put(k, p.getProperty(k)));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documented keys with this server's address and user (trust authentication: no password). */
    public static Map<String, String> configFor(PostgresServer postgres) {
        Map<String, String> config = new HashMap<>(CONFIG);
        config.put("camel.beans.archive.jdbcUrl", postgres.jdbcUrl());
        config.put("camel.beans.archive.username", "postgres");
        config.remove("camel.beans.archive.password");
        return config;
    }

    /** Makes the documented table on the server. */
    public static void createTable(PostgresServer postgres) throws IOException, SQLException {
        try (Connection c = connect(postgres);
                Statement s = c.createStatement()) {
            s.execute(Files.readString(Path.of("docs/archive-postgresql.sql")));
        }
    }

    public static Connection connect(PostgresServer postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
    }
}
