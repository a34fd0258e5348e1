package org.asynctask.exporter.config;

/** Where checkpoints are kept ({@code exporter.checkpoint.store}). */
public enum StoreKind {
    /** A snapshot and a log per function under {@code exporter.checkpoint.dir}. */
    FILE,
    /** The compacted topic {@code exporter.checkpoint.topic}. */
    KAFKA
}
