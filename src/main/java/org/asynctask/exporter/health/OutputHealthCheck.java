package org.asynctask.exporter.health;

import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of one output ({@code /health/ready}): DOWN, saying why, while the sink or the checkpoint
 * store fails. An exporter that cannot write watches nothing, however well its sources answer.
 */
public final class OutputHealthCheck implements HealthCheck {
    private final OutputHealth output;
    private boolean enabled = true;

    public OutputHealthCheck(OutputHealth output) {
        this.output = output;
    }

    @Override
    public String getId() {
        return output.name();
    }

    @Override
    public String getGroup() {
        return "async-task-exporter";
    }

    @Override
    public boolean isLiveness() {
        // A full disk or a broker away is not fixed by restarting the exporter.
        return false;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder result = HealthCheckResultBuilder.on(this).detail("output", output.description());
        String why = output.problem();
        return why == null ? result.up().build() : result.down().message(why).build();
    }
}
