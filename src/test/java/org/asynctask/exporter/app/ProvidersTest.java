package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asynctask.exporter.simulator.SimProfile;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What names the providers follows {@link Providers}' registration: a provider registered and forgotten in the
 * README's table, the key table, the template or the simulator fails here, and so does one left behind in them.
 */
class ProvidersTest {
    private static final Pattern ID_CELL = Pattern.compile("^\\| `([a-z0-9-]+)` \\|", Pattern.MULTILINE);
    private static final Pattern ID_IN_BACKTICKS = Pattern.compile("`([a-z0-9]+-[a-z0-9-]+)`");
    private static final Pattern TEMPLATE_PROVIDER =
            Pattern.compile("^#? ?exporter\\.source\\.[^.]+\\.provider=(\\S+)$", Pattern.MULTILINE);

    private final List<String> registered = Providers.catalog().ids();

    @TempDir
    Path dir;

    @Test
    void theReadmesProviderTableListsTheRegisteredProvidersInOrder() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("| provider id | API | status |");
        String table = readme.substring(start, readme.indexOf("\n\n", start));
        assertThat(all(ID_CELL, table)).containsExactlyElementsOf(registered);
    }

    @Test
    void theProviderKeyAndTheTemplateNameEveryRegisteredProviderAndNoOther() throws IOException {
        String row = Files.readString(Path.of("docs/configuration.md"))
                .lines()
                .filter(l -> l.startsWith("| `exporter.source.<name>.provider` |"))
                .findFirst()
                .orElseThrow();
        assertThat(all(ID_IN_BACKTICKS, row.substring(row.indexOf("| required |"))))
                .containsExactlyElementsOf(registered);
        assertThat(new LinkedHashSet<>(
                        all(TEMPLATE_PROVIDER, Files.readString(Path.of("config/application.properties")))))
                .as("config/application.properties: a source block per provider")
                .containsExactlyElementsOf(registered);
    }

    @Test
    void theSimulatorServesAndConfiguresEveryRegisteredProvider() throws IOException {
        Properties demo = new Properties();
        try (SimulatorServer sim = SimulatorServer.start(0, dir, SimProfile.fast(1), Clock.systemUTC());
                Reader in = Files.newBufferedReader(sim.exporterConfig())) {
            demo.load(in);
            for (String id : registered) {
                assertThat(sim.engine().functions(id))
                        .as(id + "'s simulated functions")
                        .isNotEmpty();
            }
        }
        Set<String> configured = new LinkedHashSet<>();
        demo.stringPropertyNames().stream()
                .filter(k -> k.endsWith(".provider"))
                .sorted()
                .forEach(k -> configured.add(demo.getProperty(k)));
        assertThat(configured)
                .as("providers of the demo configuration")
                .containsExactlyInAnyOrderElementsOf(registered);
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
