package org.asynctask.exporter.checkpoint;

/** A checkpoint could not be read or saved; what it covers is polled again. */
public class CheckpointStoreException extends RuntimeException {
    public CheckpointStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
