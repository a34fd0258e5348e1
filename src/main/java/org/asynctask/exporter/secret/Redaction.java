package org.asynctask.exporter.secret;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every credential value the exporter was given, so that anything it writes to a log can be scrubbed
 * of them, whatever the log level and whichever library logs (an HTTP client logging headers, a
 * stack trace quoting a request). {@link Secret} and {@link AccessKey} register their values.
 */
public final class Redaction {
    /**
     * Shorter values would mask ordinary words in every line; no real credential is this short (access
     * key ids have 20 characters and more, secrets 30 and more).
     */
    private static final int MIN_LENGTH = 12;

    private static final String MASK = "****";
    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();

    private Redaction() {}

    public static void register(String value) {
        if (value != null && value.strip().length() >= MIN_LENGTH) {
            VALUES.add(value.strip());
        }
    }

    /** The text with every registered value replaced by {@value #MASK}. */
    public static String scrub(String text) {
        if (text == null || VALUES.isEmpty()) {
            return text;
        }
        String out = text;
        for (String v : VALUES) {
            if (out.contains(v)) {
                out = out.replace(v, MASK);
            }
        }
        return out;
    }
}
