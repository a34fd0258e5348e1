package org.asynctask.exporter.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asynctask.exporter.provider.tencent.Tc3Signer;

/**
 * What every SCF request passes first: its TC3-HMAC-SHA256 signature, checked against the SecretId's key (five
 * minutes of clock skew at most), then the API's limit of {@value #RATE_LIMIT} requests a second per SecretId.
 */
final class Tc3Gate {
    static final int RATE_LIMIT = 20;

    private static final Pattern AUTH = Pattern.compile(
            "TC3-HMAC-SHA256 Credential=([^/]+)/(\\d{4}-\\d{2}-\\d{2})/([^/]+)/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");

    private final Map<String, String> secrets;
    private final Clock clock;
    private final Map<String, ArrayDeque<Long>> recent = new HashMap<>();
    private final AtomicLong rateLimited = new AtomicLong();
    private int busiestSecond;

    /** @param secrets each SecretId's SecretKey */
    Tc3Gate(Map<String, String> secrets, Clock clock) {
        this.secrets = Map.copyOf(secrets);
        this.clock = clock;
    }

    /** @param headers the request's headers, names in lower case */
    void admit(Map<String, String> headers, String payload) throws Refused {
        throttle(authenticate(headers, payload));
    }

    /** The most requests accepted from one SecretId within any one second so far. */
    int busiestSecond() {
        synchronized (recent) {
            return busiestSecond;
        }
    }

    /** Requests refused with RequestLimitExceeded so far. */
    long rateLimited() {
        return rateLimited.get();
    }

    private String authenticate(Map<String, String> headers, String payload) throws Refused {
        Matcher m = AUTH.matcher(String.valueOf(headers.get("authorization")));
        if (!m.matches()) {
            throw new Refused(401, "AuthFailure.SignatureFailure", "malformed TC3-HMAC-SHA256 Authorization header");
        }
        String secret = secrets.get(m.group(1));
        if (secret == null) {
            throw new Refused(401, "AuthFailure.SecretIdNotFound", "SecretId " + m.group(1) + " does not exist");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(headers.get("x-tc-timestamp"));
        } catch (RuntimeException e) {
            throw new Refused(401, "AuthFailure.SignatureFailure", "X-TC-Timestamp is missing");
        }
        if (Math.abs(clock.instant().getEpochSecond() - timestamp) > 300) {
            throw new Refused(
                    401,
                    "AuthFailure.SignatureExpire",
                    "the signature has expired (X-TC-Timestamp more than 5 minutes off)");
        }
        Map<String, String> signed = new LinkedHashMap<>();
        for (String name : m.group(4).split(";")) {
            String value = headers.get(name);
            if (value == null) {
                throw new Refused(401, "AuthFailure.SignatureFailure", "signed header " + name + " is missing");
            }
            signed.put(name, name.equals("x-tc-action") ? value.toLowerCase() : value);
        }
        String expected = Tc3Signer.signature(
                Tc3Signer.canonicalRequest("POST", "", signed, payload), m.group(3), timestamp, secret);
        if (!m.group(2).equals(Tc3Signer.date(timestamp))
                || !MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.US_ASCII), m.group(5).getBytes(StandardCharsets.US_ASCII))) {
            throw new Refused(401, "AuthFailure.SignatureFailure", "the request signature does not match");
        }
        return m.group(1);
    }

    /** At most {@value #RATE_LIMIT} requests per SecretId in any second. */
    private void throttle(String secretId) throws Refused {
        long now = System.nanoTime();
        synchronized (recent) {
            ArrayDeque<Long> times = recent.computeIfAbsent(secretId, k -> new ArrayDeque<>());
            while (!times.isEmpty() && now - times.peekFirst() >= 1_000_000_000L) {
                times.pollFirst();
            }
            if (times.size() >= RATE_LIMIT) {
                rateLimited.incrementAndGet();
                throw new Refused(429, "RequestLimitExceeded", "more than " + RATE_LIMIT + " requests per second");
            }
            times.addLast(now);
            busiestSecond = Math.max(busiestSecond, times.size());
        }
    }
}
