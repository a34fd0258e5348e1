package org.asynctask.exporter.config;

import java.util.Locale;

/** Where events go ({@code exporter.sink}). */
public enum SinkKind {
    /** CloudEvents as JSON Lines under {@code exporter.output.dir}. */
    FILE,
    /** The Kafka topic {@code exporter.kafka.topic}. */
    KAFKA;

    /** As written in the configuration: {@code file}, {@code kafka}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
