package org.asynctask.exporter.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The JVM's request to stop (SIGTERM, Ctrl-C) as something a command waits for. The JVM does not wait
 * for the main thread, only for shutdown hooks: this one holds the JVM until the command has closed
 * what it runs and printed its summary, that is until {@link #close}.
 */
final class StopSignal implements AutoCloseable {
    /** Longer than Camel's shutdown timeout (15 s) and the closing of the sink and the store after it. */
    private static final Duration MOST_A_STOP_TAKES = Duration.ofSeconds(60);

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread hook = new Thread(this::holdTheJvm, "stop-signal");

    private StopSignal() {}

    static StopSignal install() {
        StopSignal signal = new StopSignal();
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /** Waits for the stop request, or (when not null) for {@code duration}, whichever comes first. */
    void await(Duration duration) throws InterruptedException {
        if (duration == null) {
            requested.await();
        } else {
            requested.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void holdTheJvm() {
        requested.countDown();
        try {
            released.await(MOST_A_STOP_TAKES.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command is done: the JVM may go. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs and waits for the release below.
        }
        released.countDown();
    }
}
