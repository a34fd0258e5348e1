package org.asynctask.exporter.kafka;

/** The broker could not be reached or refused a request; the poll fails and is retried with back-off. */
public class KafkaUnavailableException extends RuntimeException {
    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
