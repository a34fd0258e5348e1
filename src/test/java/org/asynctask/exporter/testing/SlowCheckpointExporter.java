package org.asynctask.exporter.testing;

import java.nio.file.Path;
import java.time.Clock;
import org.asynctask.exporter.app.ExporterApp;
import org.asynctask.exporter.app.Providers;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.PartitionKey;

/**
 * {@code run} for kill tests, with a pause before every checkpoint save. In the real exporter the
 * moment between "events delivered" and "checkpoint saved" lasts milliseconds; widening it makes a
 * random SIGKILL land there often, which is the case at-least-once and exactly-once differ on.
 *
 * <p>Arguments: config file, pause in milliseconds.
 */
public final class SlowCheckpointExporter {
    private SlowCheckpointExporter() {
    }

    public static void main(String[] args) throws Exception {
        long pauseMs = Long.parseLong(args[1]);
        ExporterConfig config = ExporterConfig.load(Path.of(args[0]), Providers::maxPageSize);
        try (ExporterApp app = new ExporterApp(config, Clock.systemUTC(), store -> new ForwardingCheckpointStore(store) {
            @Override
            public void save(PartitionKey partition, Checkpoint checkpoint) {
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                delegate.save(partition, checkpoint);
            }
        })) {
            app.runUntilStopped();
        }
    }
}
