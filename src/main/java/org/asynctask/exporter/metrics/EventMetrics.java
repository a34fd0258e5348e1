package org.asynctask.exporter.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TaskStatus;

/** The meters counted per event: events published, and for finished tasks their count and run time. */
final class EventMetrics {
    /**
     * Buckets of the task duration histogram, in seconds: a dozen fixed bounds from 0.1 s to a day, not the
     * 70 of a percentile histogram (which made 720 of a 10-function scrape's 1,200 lines).
     */
    private static final double[] TASK_DURATION_BUCKETS = {0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400};

    private final MeterRegistry registry;
    /** Task durations per function too (exporter.metrics.task-duration-by-function), else per source. */
    private final boolean durationByFunction;
    /**
     * The meters, found by their tags: building a meter's id for every event (its tags sorted, the registry
     * searched) took 5 % of a poll thread. Safe to keep: only gauges are ever removed.
     */
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

    private final Map<List<String>, DistributionSummary> durations = new ConcurrentHashMap<>();

    EventMetrics(MeterRegistry registry, boolean durationByFunction) {
        this.registry = registry;
        this.durationByFunction = durationByFunction;
    }

    /** The meters of one status of one function: for a final status, also the finished count and duration. */
    private record Meters(Counter published, Counter finished, DistributionSummary duration) {}

    /** The meters are looked up once per status and function of a batch (a batch is one partition's). */
    void published(List<StatusChange> changes) {
        Task place = null;
        Meters[] byStatus = new Meters[TaskStatus.values().length];
        for (StatusChange c : changes) {
            Task task = c.task();
            if (place == null || !samePlace(place, task)) {
                Arrays.fill(byStatus, null);
                place = task;
            }
            Meters meters = byStatus[task.status().ordinal()];
            if (meters == null) {
                meters = task.terminal()
                        ? new Meters(publishedCounter(task), finishedCounter(task), durationSummary(task))
                        : new Meters(publishedCounter(task), null, null);
                byStatus[task.status().ordinal()] = meters;
            }
            meters.published().increment();
            if (meters.finished() != null) {
                meters.finished().increment();
                if (task.startedAt() != null
                        && task.endedAt() != null
                        && !task.endedAt().isBefore(task.startedAt())) {
                    meters.duration()
                            .record(Duration.between(task.startedAt(), task.endedAt())
                                            .toMillis()
                                    / 1000.0);
                }
            }
        }
    }

    private static boolean samePlace(Task a, Task b) {
        return Objects.equals(a.source(), b.source())
                && Objects.equals(a.provider(), b.provider())
                && Objects.equals(a.namespace(), b.namespace())
                && Objects.equals(a.function(), b.function());
    }

    private Counter publishedCounter(Task task) {
        String status = task.status().name();
        return counters.computeIfAbsent(
                List.of("published", task.source(), task.provider(), status),
                k -> Counter.builder("asynctask_exporter_events_published")
                        .description("Status-change events delivered to the sink")
                        .tags("source", task.source(), "provider", task.provider(), "status", status)
                        .register(registry));
    }

    private Counter finishedCounter(Task task) {
        String status = task.status().name();
        String function = function(task);
        return counters.computeIfAbsent(
                List.of("finished", task.provider(), task.source(), function, status),
                k -> Counter.builder("asynctask_tasks_finished")
                        .description("Tasks seen reaching a final status")
                        .tags(
                                "provider",
                                task.provider(),
                                "source",
                                task.source(),
                                "function",
                                function,
                                "status",
                                status)
                        .register(registry));
    }

    private DistributionSummary durationSummary(Task task) {
        String byFunction = durationByFunction ? function(task) : "";
        return durations.computeIfAbsent(List.of(task.provider(), task.source(), byFunction), k -> {
            DistributionSummary.Builder b = DistributionSummary.builder("asynctask_task_duration_seconds")
                    .description("Task run time, start to end, of finished tasks")
                    .baseUnit("seconds")
                    .serviceLevelObjectives(TASK_DURATION_BUCKETS)
                    .tags("provider", task.provider(), "source", task.source());
            return (durationByFunction ? b.tag("function", byFunction) : b).register(registry);
        });
    }

    private static String function(Task t) {
        return (t.namespace() == null ? "" : t.namespace() + "/") + t.function();
    }
}
