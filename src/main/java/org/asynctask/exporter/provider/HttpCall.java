package org.asynctask.exporter.provider;

import java.util.Map;

/**
 * A signed outbound request, ready to send as is. Providers build it; the poll route sends it with
 * camel-http. {@link #toString()} leaves headers out: they carry signatures and tokens.
 *
 * @param url     absolute URL, path and query already percent-encoded exactly as signed
 * @param headers every header to send, signature included
 * @param body    request body, or null
 */
public record HttpCall(String method, String url, Map<String, String> headers, String body) {
    public HttpCall {
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return method + " " + url;
    }
}
