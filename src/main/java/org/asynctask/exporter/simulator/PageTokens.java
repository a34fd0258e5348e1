package org.asynctask.exporter.simulator;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opaque page tokens, as real APIs hand out: a random string that the server maps to a keyset
 * cursor (last start time and id returned) for one exact query. Unknown tokens, and tokens replayed
 * with another query, are refused. Bounded: the oldest tokens expire first.
 */
final class PageTokens {
    /** Where the next page starts, for the query with this fingerprint. */
    record Cursor(String queryFingerprint, long lastStartedMs, String lastId) {}

    private static final int MAX_TOKENS = 200_000;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cursor> tokens = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cursor> eldest) {
            return size() > MAX_TOKENS;
        }
    };

    synchronized String issue(Cursor cursor) {
        byte[] b = new byte[18];
        random.nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        tokens.put(token, cursor);
        return token;
    }

    /** @return the cursor, or null if the token is unknown, expired, or belongs to another query */
    synchronized Cursor resolve(String token, String queryFingerprint) {
        Cursor c = tokens.get(token);
        return c != null && c.queryFingerprint().equals(queryFingerprint) ? c : null;
    }

    /** Forgets every token, as a provider does when tokens expire (fault injection). */
    synchronized void expireAll() {
        tokens.clear();
    }
}
