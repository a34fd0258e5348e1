package org.asynctask.exporter.provider;

import java.util.Locale;
import java.util.Map;

/** A provider's raw response. Header names are looked up case-insensitively. */
public record HttpReply(int status, Map<String, String> headers, String body) {
    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return e.getValue();
            }
        }
        return null;
    }
}
