package org.asynctask.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key table of docs/configuration.md and the commented template config/application.properties name
 * every key the parser accepts: a key added to the code and forgotten in either fails here.
 */
class ConfigurationDocsTest {
    private static final String DOCS = read("docs/configuration.md");
    private static final String TEMPLATE = read("config/application.properties");

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A row names a key in full, or (a second key of one row, a source key) by its last part. */
    private static boolean documented(String key, String shortForm) {
        return DOCS.contains("`" + key + "`") || DOCS.contains("`" + shortForm + "`");
    }

    @Test
    void theDocsTableNamesEveryKey() {
        List<String> missing = new ArrayList<>();
        for (String key : ExporterConfig.GLOBAL_KEYS) {
            if (!documented(key, key)) {
                missing.add(key);
            }
        }
        for (String key : AlertConfig.GLOBAL_KEYS) {
            if (!documented(key, key.substring(key.lastIndexOf('.')))) {
                missing.add(key);
            }
        }
        for (String key : AlertConfig.WEBHOOK_KEYS) {
            if (!documented("exporter.alert.webhook.<name>." + key, key)) {
                missing.add("exporter.alert.webhook.<name>." + key);
            }
        }
        for (String key : SourceKeys.ALL) {
            if (!documented("exporter.source.<name>." + key, "…." + key)) {
                missing.add("exporter.source.<name>." + key);
            }
        }
        assertThat(missing)
                .as("keys the parser accepts that docs/configuration.md does not name")
                .isEmpty();
    }

    @Test
    void theTemplateNamesEveryGlobalKey() {
        List<String> missing = new ArrayList<>();
        for (String key : ExporterConfig.GLOBAL_KEYS) {
            if (!TEMPLATE.contains(key + "=")) {
                missing.add(key);
            }
        }
        for (String key : AlertConfig.GLOBAL_KEYS) {
            if (!TEMPLATE.contains(key + "=")) {
                missing.add(key);
            }
        }
        assertThat(missing)
                .as("keys config/application.properties does not show")
                .isEmpty();
    }
}
