package org.asynctask.exporter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.asynctask.exporter.app.ExporterApp;
import org.asynctask.exporter.app.Providers;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.PartitionKey;

/**
 * {@code run} for kill tests, with a pause at every n-th checkpoint save that covers events, on one side of it. In the real
 * exporter the moments around a save last milliseconds; a pause makes a kill land in one by design: the
 * exporter writes a line to {@code pauses.log} (in its working directory) as a pause begins, and the
 * test kills it when it sees the line.
 * <ul>
 * <li>{@link Window#BEFORE_SAVE}: the batch's events are delivered (at-least-once) or in the open
 *     transaction (exactly-once), its checkpoint not saved: a kill makes the next run repeat them.</li>
 * <li>{@link Window#AFTER_SAVE}: the checkpoint is saved and the step after it has not run: harmless when
 *     the events were published before the save, a loss when a bug saves first.</li>
 * </ul>
 * Arguments: config file, pause in milliseconds, every how many saves, window.
 */
public final class SlowCheckpointExporter {
    /** Which side of a checkpoint save the pause is on. */
    public enum Window {
        BEFORE_SAVE,
        AFTER_SAVE
    }

    /** The file the pauses are announced in, in the exporter's working directory. */
    public static final String PAUSES = "pauses.log";

    private SlowCheckpointExporter() {}

    public static void main(String[] args) throws Exception {
        long pauseMs = Long.parseLong(args[1]);
        int every = Integer.parseInt(args[2]);
        Window window = Window.valueOf(args[3]);
        AtomicInteger saves = new AtomicInteger();
        ExporterConfig config = ExporterConfig.load(Path.of(args[0]), Providers.catalog());
        try (ExporterApp app =
                new ExporterApp(config, Clock.systemUTC(), store -> new ForwardingCheckpointStore(store) {
                    @Override
                    public void save(PartitionKey partition, Checkpoint checkpoint) {
                        // Only saves that cover events: the ones a kill around them tells something about.
                        boolean coversEvents = checkpoint.unsaved() != null
                                && !checkpoint.unsaved().isEmpty();
                        boolean pause = pauseMs > 0 && coversEvents && saves.incrementAndGet() % every == 0;
                        if (pause && window == Window.BEFORE_SAVE) {
                            pause(window, pauseMs);
                        }
                        delegate.save(partition, checkpoint);
                        if (pause && window == Window.AFTER_SAVE) {
                            pause(window, pauseMs);
                        }
                    }
                })) {
            app.runUntilStopped();
        }
    }

    private static void pause(Window window, long pauseMs) {
        try {
            Files.writeString(
                    Path.of(PAUSES),
                    window + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            Thread.sleep(pauseMs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Pauses announced so far in {@code dir}. */
    public static long pauses(Path dir) {
        try {
            Path file = dir.resolve(PAUSES);
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
