package org.asynctask.exporter.sink;

/** Events could not be made durable; nothing of the failed batch counts as published. */
public class SinkException extends RuntimeException {
    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
