package org.asynctask.exporter.simulator;

import java.time.Duration;

/**
 * How busy and how slow the simulated functions are. Everything random is drawn from {@code seed},
 * so a run is repeatable relative to its start time.
 *
 * @param tasksPerSecond arrivals per function per second (Poisson)
 * @param shortTask      typical run time of an ordinary task
 * @param longTask       run time of a long-running task
 * @param longFraction   share of tasks that run long
 */
public record SimProfile(long seed, double tasksPerSecond, Duration shortTask, Duration longTask, double longFraction) {

    /** The demo: a few tasks a second, most finishing within seconds, some after a minute. */
    public static SimProfile demo(long seed) {
        return new SimProfile(seed, 3, Duration.ofSeconds(2), Duration.ofSeconds(60), 0.05);
    }
}
