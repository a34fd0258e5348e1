package org.asynctask.exporter.app;

import java.util.Properties;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.kafka.KafkaSettings;

/**
 * The values of the exporter's configuration that the routes read as placeholders ({@code {{exporter.poll-threads}}},
 * which publish route runs, the camel-kafka endpoint's settings) and the Camel component options set from it.
 */
final class RouteProperties {
    private RouteProperties() {}

    /**
     * Partitions waiting for a poll thread: enough that the threads do not run dry between two ticks of
     * the scheduler (100 ms) even when polls take a few milliseconds, and bounded, so ten thousand due
     * partitions cost a queue of this size, not of ten thousand.
     */
    static int pollQueueSize(ExporterConfig config) {
        return Math.max(100, config.pollThreads() * 25);
    }

    /** Only non-secret values reach Camel: source blocks (with credentials) stay with us. */
    static Properties of(ExporterConfig config, boolean camelKafka) {
        Properties p = new Properties();
        // Which publish route runs (routes/poll.camel.yaml).
        p.setProperty("exporter.publish", camelKafka ? "kafka" : "sink");
        p.setProperty("exporter.publish-kafka", Boolean.toString(camelKafka));
        p.setProperty("exporter.publish-sink", Boolean.toString(!camelKafka));
        if (camelKafka) {
            KafkaSettings kafka = config.kafka();
            p.setProperty("exporter.kafka.topic", kafka.topic());
            p.setProperty("exporter.kafka.bootstrap-servers", kafka.bootstrapServers());
            p.setProperty("exporter.kafka.compression", kafka.compression());
            p.setProperty("exporter.kafka.request-timeout-ms", Long.toString(kafka.requestTimeoutMs()));
            p.setProperty("exporter.kafka.delivery-timeout-ms", Long.toString(kafka.deliveryTimeoutMs()));
            p.setProperty("exporter.kafka.max-block-ms", Long.toString(kafka.maxBlockMs()));
        }
        p.setProperty("exporter.poll-threads", Integer.toString(config.pollThreads()));
        p.setProperty("exporter.poll-queue-size", Integer.toString(pollQueueSize(config)));
        String connect = Long.toString(config.connectTimeout().toMillis());
        String response = Long.toString(config.responseTimeout().toMillis());
        p.setProperty("camel.component.http.connect-timeout", connect);
        p.setProperty("camel.component.http.connection-request-timeout", connect);
        p.setProperty("camel.component.http.response-timeout", response);
        p.setProperty("camel.component.http.so-timeout", response);
        if (config.metricsPort() >= 0) {
            // The health checks MetricsServer serves on /health[/live|/ready].
            p.setProperty("camel.health.enabled", "true");
            // Every check with its state, not only the failing ones.
            p.setProperty("camel.health.exposureLevel", "full");
        }
        return p;
    }
}
