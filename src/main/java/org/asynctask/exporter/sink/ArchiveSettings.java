package org.asynctask.exporter.sink;

import java.time.Duration;

/**
 * How event files are cut and kept (keys {@code exporter.output.*}, see {@code ExporterConfig}).
 *
 * @param hourly       a new file every UTC hour instead of every UTC day
 * @param maxFileBytes a new file once the open one would grow past this (0: no limit; one batch is never split)
 * @param gzip         compress each closed file to {@code .jsonl.gz} (then remove the plain one)
 * @param retention    delete closed files last written longer ago than this (null: keep forever)
 */
public record ArchiveSettings(boolean hourly, long maxFileBytes, boolean gzip, Duration retention) {
    /** One file per provider and UTC day, plain, kept forever. */
    public static final ArchiveSettings DAILY = new ArchiveSettings(false, 0, false, null);
}
