package org.asynctask.exporter.metrics;

import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.asynctask.exporter.secret.Redaction;

/**
 * Readiness of one source, served by Camel's health endpoint ({@code /health/ready}): DOWN while any of
 * its partitions failed with an error that needs a fix (bad credentials, missing function) or while its
 * circuit is open after repeated failed polls, and says which and why. The other sources stay UP.
 */
public final class SourceHealthCheck implements HealthCheck {
    private final String source;
    private final PollingView scheduler;
    private boolean enabled = true;

    public SourceHealthCheck(String source, PollingView scheduler) {
        this.source = source;
        this.scheduler = scheduler;
    }

    @Override
    public String getId() {
        return "source-" + source;
    }

    @Override
    public String getGroup() {
        return "async-task-exporter";
    }

    @Override
    public boolean isLiveness() {
        // A broken source does not make the process dead: restarting would not fix credentials.
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
        HealthCheckResultBuilder result = HealthCheckResultBuilder.on(this).detail("source", source);
        String why = scheduler.problems(source);
        if (why != null) {
            return result.down().message(Redaction.scrub(why)).build();
        }
        return result.up().build();
    }
}
