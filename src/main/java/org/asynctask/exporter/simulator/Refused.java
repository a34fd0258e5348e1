package org.asynctask.exporter.simulator;

/** A simulated API's refusal: HTTP status, the API's error code and message. No stack trace: it is an answer. */
final class Refused extends Exception {
    final int status;
    final String code;

    Refused(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }
}
