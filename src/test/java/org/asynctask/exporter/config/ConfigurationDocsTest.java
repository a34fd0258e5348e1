package org.asynctask.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.asynctask.exporter.config.ConfigKeys.Scope;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's key table is {@link ConfigKeys}'s, row for row, and the commented template
 * config/application.properties shows every global key: a key added to the table and forgotten in either fails
 * here (a key the parser reads and the table lacks is refused as unknown, so the tests that use it fail).
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

    @Test
    void theDocsKeyTableIsTheTableOfKeys() throws IOException {
        String table = ConfigKeys.markdownTable();
        int start = DOCS.indexOf("| key | default | meaning |");
        int end = DOCS.indexOf("\n\n", start);
        String documented = start < 0 ? "" : DOCS.substring(start, end + 1);
        if (!documented.equals(table)) {
            Path generated = Path.of("target", "configuration-keys.md");
            Files.createDirectories(generated.getParent());
            Files.writeString(generated, table);
            assertThat(documented)
                    .as("docs/configuration.md's key table; the table of ConfigKeys is in " + generated
                            + ": paste it over the one in the docs")
                    .isEqualTo(table);
        }
    }

    @Test
    void theTemplateNamesEveryGlobalKey() {
        List<String> missing = new ArrayList<>();
        for (String key : ConfigKeys.names(Scope.GLOBAL)) {
            if (!TEMPLATE.contains(key + "=")) {
                missing.add(key);
            }
        }
        assertThat(missing)
                .as("keys config/application.properties does not show")
                .isEmpty();
    }

    @Test
    void everyKeyHasOneRow() {
        List<String> keys = new ArrayList<>();
        for (Scope scope : Scope.values()) {
            ConfigKeys.names(scope).forEach(k -> keys.add(scope + " " + k));
        }
        assertThat(keys).doesNotHaveDuplicates();
    }
}
