package org.asynctask.exporter.app;

import java.util.List;
import java.util.function.BiConsumer;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.health.OutputHealth;
import org.asynctask.exporter.health.ReadinessCheck;
import org.asynctask.exporter.metrics.ExporterMetrics;
import org.asynctask.exporter.poll.PollScheduler;
import org.asynctask.exporter.provider.SourceConfig;

/**
 * Every health check, registered twice: as a Camel health check bean (what {@code /health/ready} reads) and as
 * a metric ({@code asynctask_exporter_health_check_up}): one per source, one per output, and the group's in group mode.
 */
final class HealthChecks {
    private HealthChecks() {}

    /**
     * @param group null without a group
     * @param bind  binds a bean in the registry the routes and Camel's health read
     */
    static void register(
            ExporterConfig config,
            PollScheduler scheduler,
            List<OutputHealth> outputs,
            GroupHealth group,
            ExporterMetrics metrics,
            BiConsumer<String, Object> bind) {
        for (SourceConfig source : config.sources()) {
            bind.accept(
                    "health-" + source.name(),
                    new ReadinessCheck(
                            "source-" + source.name(),
                            "source",
                            source.name(),
                            () -> scheduler.problems(source.name())));
            metrics.healthCheck("source-" + source.name(), () -> scheduler.problems(source.name()) == null);
            metrics.pollInterval(source.name(), source.provider(), source.interval());
        }
        if (group != null) {
            // A member outside the group polls nothing, however well its sources and outputs would work.
            bind.accept(
                    "health-group",
                    new ReadinessCheck(
                            "group",
                            "output",
                            "consumer group " + config.kafka().group().id(),
                            group::problem));
            metrics.healthCheck("group", () -> group.problem() == null);
        }
        for (OutputHealth output : outputs) {
            bind.accept("health-output-" + output.name(), ReadinessCheck.of(output));
            metrics.healthCheck(output.name(), () -> output.problem() == null);
        }
    }
}
