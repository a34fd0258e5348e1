package org.asynctask.exporter.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.asynctask.exporter.secret.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans Camel Main made from {@code camel.beans.<name>} keys, such as the archive's connection pool
 * (docs/archive.md). Camel does not close them when it stops, so their threads and connections outlived the
 * exporter: a pool kept reconnecting to a database long gone (ArchiveIT). The exporter closes the ones that are
 * {@link AutoCloseable} once the routes have stopped.
 */
final class ConfiguredBeans {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredBeans.class);
    private static final String PREFIX = "camel.beans.";

    private final Map<String, AutoCloseable> beans;

    private ConfiguredBeans(Map<String, AutoCloseable> beans) {
        this.beans = beans;
    }

    /** The closeable beans the {@code camel.*} keys name, looked up while Camel runs. */
    static ConfiguredBeans of(CamelContext camel, Map<String, String> camelProperties) {
        Map<String, AutoCloseable> found = new LinkedHashMap<>();
        if (camel != null) {
            for (String name : names(camelProperties)) {
                if (camel.getRegistry().lookupByName(name) instanceof AutoCloseable bean) {
                    found.put(name, bean);
                }
            }
        }
        return new ConfiguredBeans(found);
    }

    private static Set<String> names(Map<String, String> camelProperties) {
        Set<String> names = new TreeSet<>();
        for (String key : camelProperties.keySet()) {
            if (key.startsWith(PREFIX)) {
                String rest = key.substring(PREFIX.length());
                int dot = rest.indexOf('.');
                names.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        return names;
    }

    /** Closes each; one that fails is logged and the others are still closed. */
    void close() {
        beans.forEach((name, bean) -> {
            try {
                bean.close();
            } catch (Exception e) {
                LOG.warn("could not close bean '{}': {}", name, Redaction.scrub(String.valueOf(e)));
            }
        });
    }
}
