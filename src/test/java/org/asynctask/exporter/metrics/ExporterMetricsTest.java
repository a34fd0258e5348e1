package org.asynctask.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.poll.PollTarget;
import org.asynctask.exporter.testing.MutableClock;
import org.asynctask.exporter.testing.TestSources;
import org.junit.jupiter.api.Test;

class ExporterMetricsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ExporterMetrics metrics = new ExporterMetrics(registry, clock);

    @Test
    void aPartitionDiscoveryDroppedLosesItsGaugesButNotTheOthers() {
        PollTarget kept = TestSources.target("src", "kept", Duration.ofSeconds(5));
        PollTarget dropped = TestSources.target("src", "dropped", Duration.ofSeconds(5));
        metrics.pollSucceeded(kept.key(), Duration.ofMillis(10), Checkpoint.start(clock.millis() - 30_000), 0);
        metrics.pollSucceeded(dropped.key(), Duration.ofMillis(10), Checkpoint.start(clock.millis() - 60_000), 0);
        assertThat(registry.scrape()).contains("function=\"dropped\"");

        metrics.forget(dropped.key());

        String scrape = registry.scrape();
        assertThat(scrape)
                .doesNotContain("function=\"dropped\"")
                .containsPattern("asynctask_exporter_checkpoint_lag_seconds\\{[^}]*function=\"kept\"[^}]*} 30\\.0");
        assertThat(metrics.snapshot(dropped.key())).isNull();
        // Polled again later (discovery found it again): its gauges come back.
        metrics.pollSucceeded(dropped.key(), Duration.ofMillis(10), Checkpoint.start(clock.millis() - 5_000), 0);
        assertThat(registry.scrape())
                .containsPattern("asynctask_exporter_checkpoint_lag_seconds\\{[^}]*function=\"dropped\"[^}]*} 5\\.0");
    }
}
