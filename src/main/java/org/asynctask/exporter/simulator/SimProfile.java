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

    /** Busy and quick: many short tasks, long ones that last seconds. For tests and crash drills that must end soon. */
    public static SimProfile fast(long seed) {
        return new SimProfile(seed, 5, Duration.ofMillis(500), Duration.ofSeconds(5), 0.1);
    }

    /**
     * A large account's functions ({@code simulate --functions N}): the demo's life cycles, but one task per
     * function every 50 s on average, as most of thousands of functions are quiet most of the time.
     */
    public static SimProfile scale(long seed) {
        return new SimProfile(seed, 0.02, Duration.ofSeconds(2), Duration.ofSeconds(60), 0.05);
    }

    /** By name, as {@code simulate --profile} takes it. */
    public static SimProfile named(String name, long seed) {
        return switch (name) {
            case "demo" -> demo(seed);
            case "fast" -> fast(seed);
            case "scale" -> scale(seed);
            default -> throw new IllegalArgumentException("--profile: '" + name + "' is not demo, fast or scale");
        };
    }
}
