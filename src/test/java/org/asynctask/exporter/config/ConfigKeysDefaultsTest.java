package org.asynctask.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asynctask.exporter.app.Providers;
import org.asynctask.exporter.config.ConfigKeys.Row;
import org.asynctask.exporter.config.ConfigKeys.Scope;
import org.junit.jupiter.api.Test;

/**
 * The parser holds to the defaults ConfigKeys documents: for every key whose default is one value (written
 * {@code `value`}), a configuration that sets the key to it parses to exactly what the configuration without it
 * parses to. Each key is tried on configurations where it applies (a file sink, Kafka with its store and group
 * mode, the Camel sink, an FC 3.0 and an SCF source), and must apply to one of them.
 */
class ConfigKeysDefaultsTest {
    private static final String SOURCE = "exporter.source.main.";
    private static final Pattern LITERAL = Pattern.compile("`([^`]*)`");
    private final Map<String, String> env = Map.of("AK", "LTAIkey", "SECRET", "s3cr3t-value");

    private static Map<String, String> fc3() {
        Map<String, String> m = new HashMap<>();
        m.put(SOURCE + "provider", "alibaba-fc3");
        m.put(SOURCE + "account", "123");
        m.put(SOURCE + "region", "cn-hangzhou");
        m.put(SOURCE + "functions", "orders");
        m.put(SOURCE + "access-key-id", "{{env:AK}}");
        m.put(SOURCE + "access-key-secret", "{{env:SECRET}}");
        return m;
    }

    /** The configurations a key is tried on, by what they add to an FC 3.0 source with a file sink. */
    private static Map<String, Map<String, String>> bases() {
        Map<String, Map<String, String>> bases = new LinkedHashMap<>();
        bases.put("file sink", fc3());
        Map<String, String> kafka = fc3();
        kafka.putAll(Map.of(
                "exporter.sink", "kafka",
                "exporter.kafka.bootstrap-servers", "localhost:9092",
                "exporter.checkpoint.store", "kafka",
                "exporter.group.id", "exporters"));
        bases.put("Kafka, its store, group mode", kafka);
        Map<String, String> camel = fc3();
        camel.putAll(Map.of("exporter.sink", "camel", "exporter.sink.uri", "log:events"));
        bases.put("Camel sink", camel);
        Map<String, String> scf = fc3();
        scf.put(SOURCE + "provider", "tencent-scf");
        scf.put(SOURCE + "region", "ap-guangzhou");
        bases.put("SCF source", scf);
        return bases;
    }

    private ExporterConfig parse(Map<String, String> raw) {
        return ExporterConfig.parse(raw, env::get, Providers.catalog());
    }

    /** Each key of a row with its one-value default, where the default text is one value per key. */
    private static Map<String, String> literalDefaults(Row row) {
        List<String> values = new ArrayList<>();
        for (String part : row.defaultText().split(" / ")) {
            Matcher m = LITERAL.matcher(part);
            if (!m.matches()) {
                return Map.of();
            }
            values.add(m.group(1));
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        if (values.size() == row.names().size()) {
            for (int i = 0; i < values.size(); i++) {
                String name = row.names().get(i);
                defaults.put(row.scope() == Scope.SOURCE ? SOURCE + name : name, values.get(i));
            }
        }
        return defaults;
    }

    @Test
    void everyDocumentedDefaultIsWhatTheParserTakesWithoutTheKey() {
        Map<String, String> checked = new LinkedHashMap<>();
        List<String> appliesNowhere = new ArrayList<>();
        for (Row row : ConfigKeys.ROWS) {
            literalDefaults(row).forEach((key, value) -> {
                String where = null;
                for (var base : bases().entrySet()) {
                    Map<String, String> with = new HashMap<>(base.getValue());
                    with.put(key, value);
                    ExporterConfig withKey;
                    try {
                        withKey = parse(with);
                    } catch (ConfigException doesNotApplyHere) {
                        continue;
                    }
                    assertThat(withKey)
                            .as("%s=%s (its documented default) on a %s", key, value, base.getKey())
                            .usingRecursiveComparison()
                            .isEqualTo(parse(base.getValue()));
                    where = base.getKey();
                    break;
                }
                if (where == null) {
                    appliesNowhere.add(key + "=" + value);
                } else {
                    checked.put(key, where);
                }
            });
        }
        assertThat(appliesNowhere)
                .as("documented defaults no test configuration takes: add one to bases()")
                .isEmpty();
        assertThat(checked)
                .as("the one-value defaults, global and per source")
                .containsKeys("exporter.poll-threads", "exporter.kafka.compression", SOURCE + "interval")
                .hasSizeGreaterThan(30);
    }
}
