package org.asynctask.exporter.health;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of one output ({@code /health/ready}): DOWN, saying why, while the sink or the checkpoint
 * store fails. An exporter that cannot write watches nothing, however well its sources answer.
 */
public final class OutputHealthCheck implements HealthCheck {
    private final String id;
    private final String description;
    private final Supplier<String> problem;
    private boolean enabled = true;

    public OutputHealthCheck(OutputHealth output) {
        this(output.name(), output.description(), output::problem);
    }

    /** @param problem why it cannot work now, or null while it can */
    public OutputHealthCheck(String id, String description, Supplier<String> problem) {
        this.id = id;
        this.description = description;
        this.problem = problem;
    }

    @Override
    public String getId() {
        return id;
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
        HealthCheckResultBuilder result = HealthCheckResultBuilder.on(this).detail("output", description);
        String why = problem.get();
        return why == null ? result.up().build() : result.down().message(why).build();
    }
}
