package org.asynctask.exporter.config;

/** Where events go ({@code exporter.sink}). */
public enum SinkKind {
    /** CloudEvents as JSON Lines under {@code exporter.output.dir}. */
    FILE,
    /** The Kafka topic {@code exporter.kafka.topic}. */
    KAFKA,
    /** Any Camel endpoint, {@code exporter.sink.uri}: a message per event, or per batch ({@code exporter.sink.batch}). */
    CAMEL
}
