package org.asynctask.exporter.sink;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.util.URISupport;
import org.asynctask.exporter.event.CloudEvent;
import org.asynctask.exporter.event.EventJson;
import org.asynctask.exporter.task.StatusChange;

/**
 * Any Camel endpoint as the sink ({@code exporter.sink=camel}, {@code exporter.sink.uri}): one message per
 * event, in order, its body the event's JSON (camel-jackson with the exporter's own {@code ObjectMapper}:
 * the same bytes as a line of the file sink), its headers the CloudEvents attributes ({@code ce_*}, with
 * {@code ce_taskkey} the task key) and the content type. A send that returns without an exception counts
 * as delivered; the first that fails stops the batch, and the poll is retried like any failed poll (the
 * events before it are sent again then, under the same ids).
 *
 * <p>With {@code exporter.sink.batch=true}, one message per batch instead, its body the list of its events, each
 * a map of {@code id}, {@code taskkey}, {@code status} (normalized), {@code time} (ISO-8601) and {@code event}
 * (the JSON as a string): what an endpoint that writes many at once takes, such as camel-sql with
 * {@code batch=true} (one JDBC batch, one transaction, instead of a statement and a commit per event). A failed
 * send fails the whole batch, which the retried poll sends again.
 */
public final class CamelEventSink implements SinglePlaceSink {
    private final Supplier<CamelContext> camel;
    private final String uri;
    private final boolean batch;
    private final JacksonDataFormat json = new JacksonDataFormat(EventJson.MAPPER, CloudEvent.class);
    /** Made on the first publish, once Camel runs. */
    private volatile ProducerTemplate template;

    private volatile Endpoint endpoint;

    /**
     * @param camel the exporter's Camel context, once it exists
     * @param batch one message per batch (a list of maps) instead of one per event
     */
    public CamelEventSink(Supplier<CamelContext> camel, String uri, boolean batch) {
        this.camel = camel;
        this.uri = uri;
        this.batch = batch;
    }

    /** The endpoint URI with any password in it masked, for logs and health. */
    public String describe() {
        return URISupport.sanitizeUri(uri);
    }

    @Override
    public void publish(List<StatusChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        ProducerTemplate producer = producer();
        if (batch) {
            send(
                    producer,
                    batchMessage(changes),
                    "the batch of " + changes.size() + " events from "
                            + changes.get(0).eventId());
            return;
        }
        for (StatusChange change : changes) {
            send(producer, message(change), "event " + change.eventId());
        }
    }

    private void send(ProducerTemplate producer, Exchange message, String what) {
        Exchange sent = producer.send(endpoint, message);
        if (sent.getException() != null) {
            throw new SinkException(
                    "Camel endpoint " + describe() + " did not take " + what + ": " + sent.getException(),
                    sent.getException());
        }
    }

    private Exchange batchMessage(List<StatusChange> changes) {
        Exchange exchange = endpoint.createExchange();
        List<Map<String, Object>> events = new ArrayList<>(changes.size());
        for (StatusChange change : changes) {
            CloudEvent event = CloudEvent.of(change);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("id", event.id());
            fields.put("taskkey", event.taskkey());
            fields.put("status", event.data().status().name());
            fields.put("time", event.time().toString());
            fields.put("event", new String(json(exchange, event), StandardCharsets.UTF_8));
            events.add(fields);
        }
        exchange.getMessage().setBody(events);
        return exchange;
    }

    private byte[] json(Exchange exchange, CloudEvent event) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
        try {
            json.marshal(exchange, event, body);
        } catch (Exception e) {
            throw new SinkException("cannot serialize event " + event.id(), e);
        }
        return body.toByteArray();
    }

    private Exchange message(StatusChange change) {
        CloudEvent event = CloudEvent.of(change);
        Exchange exchange = endpoint.createExchange();
        byte[] body = json(exchange, event);
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", event.specversion());
        headers.put("ce_id", event.id());
        headers.put("ce_source", event.source());
        headers.put("ce_type", event.type());
        headers.put("ce_subject", event.subject());
        headers.put("ce_time", event.time().toString());
        headers.put("ce_taskkey", event.taskkey());
        headers.put(Exchange.CONTENT_TYPE, "application/cloudevents+json; charset=UTF-8");
        exchange.getMessage().setHeaders(headers);
        exchange.getMessage().setBody(body);
        return exchange;
    }

    private ProducerTemplate producer() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    CamelContext context = camel.get();
                    endpoint = context.getEndpoint(uri);
                    json.setCamelContext(context);
                    json.start();
                    template = context.createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }

    @Override
    public synchronized void close() {
        if (template != null) {
            try {
                template.close();
            } catch (Exception e) {
                // Closing a template only releases its producer cache: nothing is lost.
            }
        }
    }
}
