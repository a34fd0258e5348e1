package org.asynctask.exporter.config;

import java.util.Locale;

/** Where checkpoints are kept ({@code exporter.checkpoint.store}). */
public enum StoreKind {
    /** A snapshot and a log per function under {@code exporter.checkpoint.dir}. */
    FILE,
    /** The compacted topic {@code exporter.checkpoint.topic}. */
    KAFKA;

    /** As written in the configuration: {@code file}, {@code kafka}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
