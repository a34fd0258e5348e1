package org.asynctask.exporter.app;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.main.Main;
import org.asynctask.exporter.config.ExporterConfig;

/**
 * What the routes run with: the named beans they call and the properties they read. Given to the app's own
 * Camel Main, and kept for a host that runs the routes in a Camel context of its own (the route tests).
 */
final class RouteBindings {
    private final Main main;
    private final Map<String, Object> beans = new LinkedHashMap<>();
    private final Properties properties = new Properties();

    RouteBindings(Main main) {
        this.main = main;
    }

    void bind(String name, Object bean) {
        beans.put(name, bean);
        main.bind(name, bean);
    }

    /** {@link RouteProperties}, and the camel.* keys of the exporter's configuration, which win over the classpath's. */
    void setProperties(ExporterConfig config, boolean camelKafka) {
        Properties initial = RouteProperties.of(config, camelKafka);
        main.setInitialProperties(initial);
        Properties overrides = new Properties();
        overrides.putAll(config.camelProperties());
        main.setOverrideProperties(overrides);
        properties.putAll(initial);
        properties.putAll(overrides);
    }

    Map<String, Object> beans() {
        return Collections.unmodifiableMap(beans);
    }

    Properties properties() {
        Properties p = new Properties();
        p.putAll(properties);
        return p;
    }
}
