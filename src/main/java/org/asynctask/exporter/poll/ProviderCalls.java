package org.asynctask.exporter.poll;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;

/** Puts a signed provider call on an exchange for camel-http, and reads the answer back. */
final class ProviderCalls {
    private ProviderCalls() {}

    /** Replaces every message header by the call's, so nothing stray is sent. */
    static void prepare(Exchange exchange, HttpCall call) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        // As camel-http's enum: a String would go through Camel's slow enum conversion on every call.
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(call.method()));
        message.setHeader(Exchange.HTTP_URI, call.url());
        call.headers().forEach(message::setHeader);
        message.setBody(call.body());
    }

    /** The provider's answer; the message headers are cleared afterwards. */
    static HttpReply reply(Exchange exchange) {
        Message message = exchange.getMessage();
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Map<String, String> headers = new LinkedHashMap<>();
        message.getHeaders().forEach((k, v) -> {
            if (v instanceof String s && !k.startsWith("Camel")) {
                headers.put(k, s);
            }
        });
        HttpReply reply = new HttpReply(status == null ? 0 : status, headers, message.getBody(byte[].class));
        message.getHeaders().clear();
        return reply;
    }
}
