package org.asynctask.exporter.health;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.asynctask.exporter.secret.Redaction;

/**
 * Readiness of one part of the exporter ({@code /health/ready}): DOWN, saying why, while it cannot work. An
 * output (the sink, the checkpoint store) that fails: an exporter that cannot write watches nothing, however
 * well its sources answer. A source with a partition that failed with an error that needs a fix (bad
 * credentials, a missing function) or whose circuit is open: the other sources stay UP. The group, which a
 * member outside it polls nothing without.
 */
public final class ReadinessCheck implements HealthCheck {
    private final String id;
    private final String detailKey;
    private final String detail;
    private final Supplier<String> problem;
    private boolean enabled = true;

    /** The output's check: its id is the output's name, its detail {@code output} what it writes to. */
    public static ReadinessCheck of(OutputHealth output) {
        return new ReadinessCheck(output.name(), "output", output.description(), output::problem);
    }

    /**
     * @param detailKey what it is ({@code output}, {@code source}), with {@code detail} naming which
     * @param problem why it cannot work now, or null while it can; shown with every credential masked
     */
    public ReadinessCheck(String id, String detailKey, String detail, Supplier<String> problem) {
        this.id = id;
        this.detailKey = detailKey;
        this.detail = detail;
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
        // A full disk, a broker away or bad credentials are not fixed by restarting the exporter.
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
        HealthCheckResultBuilder result = HealthCheckResultBuilder.on(this).detail(detailKey, detail);
        String why = problem.get();
        return why == null
                ? result.up().build()
                : result.down().message(Redaction.scrub(why)).build();
    }
}
