package org.asynctask.exporter.sink;

import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.asynctask.exporter.task.StatusChange;

/**
 * A publish route ({@code direct:publish-kafka}) as an {@link EventSink}, for what the poller publishes outside the
 * poll route's steps: the pages a failed poll had fetched before its failure. That is rare, so each publish makes
 * (and closes) its own producer template.
 */
public final class RouteEventSink implements SinglePlaceSink {
    private final Supplier<CamelContext> camel;
    private final String uri;

    public RouteEventSink(Supplier<CamelContext> camel, String uri) {
        this.camel = camel;
        this.uri = uri;
    }

    @Override
    public void publish(List<StatusChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        ProducerTemplate template = camel.get().createProducerTemplate();
        Exchange sent;
        try {
            sent = template.send(uri, e -> e.getMessage().setBody(changes));
        } finally {
            template.stop();
        }
        Exception failure = sent.getException();
        if (failure != null) {
            throw failure instanceof SinkException known ? known : new SinkException(failure.toString(), failure);
        }
    }

    @Override
    public void close() {
        // Nothing held between publishes.
    }
}
