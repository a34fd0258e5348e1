package org.asynctask.exporter.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.BindException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.metrics.MetricsServer;
import org.asynctask.exporter.metrics.StatusReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry {@code /metrics} serves and the server that serves it (with health and status), started before
 * Camel so that a port in use fails the start before anything is polled; nothing when
 * {@code exporter.metrics.port} is -1.
 */
final class MetricsEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final ExporterConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Null until {@link #start}, and when the port is -1. */
    private volatile MetricsServer server;

    private volatile boolean anyFreePort;

    /** @param bind binds a bean in the registry Camel Main reads (for Camel's own route metrics) */
    MetricsEndpoint(ExporterConfig config, BiConsumer<String, Object> bind) {
        this.config = config;
        if (config.metricsPort() >= 0) {
            camelMetrics(bind);
        }
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** See {@link ExporterApp#fallBackToAnyFreeMetricsPort}. */
    void fallBackToAnyFreePort() {
        anyFreePort = true;
    }

    void start(Supplier<CamelContext> camel, StatusReport status) {
        if (config.metricsPort() < 0) {
            return;
        }
        try {
            server = MetricsServer.start(config.metricsHost(), config.metricsPort(), registry, camel, status);
        } catch (IllegalStateException e) {
            if (!anyFreePort || !(e.getCause() instanceof BindException)) {
                throw e;
            }
            LOG.info(
                    "metrics port {} is taken; the metrics server listens on a free port instead",
                    config.metricsPort());
            server = MetricsServer.start(config.metricsHost(), 0, registry, camel, status);
        }
    }

    /** The port listened on (the one chosen for port 0), or -1 when the server does not run. */
    int port() {
        MetricsServer running = server;
        return running == null ? -1 : running.port();
    }

    /**
     * Camel's own route metrics ({@code camel_*}), in the registry {@code /metrics} serves. Not its exchange
     * event notifier: it looks a gauge up among all meters after every exchange, which with 10,000 polled
     * functions (60,000 meters) was most of the CPU of the poll and schedule threads.
     */
    private void camelMetrics(BiConsumer<String, Object> bind) {
        // Camel Main adds route policy factories and event notifiers it finds in its registry.
        MicrometerRoutePolicyFactory routes = new MicrometerRoutePolicyFactory();
        routes.setMeterRegistry(registry);
        bind.accept("routeMetrics", routes);
        MicrometerRouteEventNotifier routeEvents = new MicrometerRouteEventNotifier();
        routeEvents.setMeterRegistry(registry);
        bind.accept("routeEventMetrics", routeEvents);
    }

    @Override
    public void close() {
        MetricsServer running = server;
        if (running != null) {
            running.close();
        }
    }
}
