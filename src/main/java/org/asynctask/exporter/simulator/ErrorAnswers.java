package org.asynctask.exporter.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** How a simulator says no, in its provider's own format: used by its handler and by {@link FaultFilter}. */
interface ErrorAnswers {
    /** Writes the refusal as the whole response. */
    void refuse(HttpExchange exchange, Refused refusal) throws IOException;

    /** The provider's answer when its service fails. */
    Refused serverError();

    /** The provider's throttling answer. */
    Refused throttled(int retryAfterSeconds);
}
