package org.asynctask.exporter.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asynctask.exporter.provider.huawei.HuaweiSigner;

/**
 * What every FunctionGraph request passes first: an IAM token, or an SDK-HMAC-SHA256 (AK/SK) signature checked
 * against the access key's secret, X-Sdk-Date at most 15 minutes off.
 */
final class HuaweiGate {
    private static final Pattern AUTH =
            Pattern.compile("SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter SDK_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Map<String, String> secrets;
    private final String token;
    private final Clock clock;

    /** @param secrets each access key's secret; {@code token} the IAM token accepted instead of a signature */
    HuaweiGate(Map<String, String> secrets, String token, Clock clock) {
        this.secrets = Map.copyOf(secrets);
        this.token = token;
        this.clock = clock;
    }

    /** @param headers the request's headers, names in lower case */
    void admit(String method, String rawPath, Map<String, String> query, Map<String, String> headers, String body)
            throws Refused {
        if (headers.containsKey("x-auth-token")) {
            if (!headers.get("x-auth-token").equals(token)) {
                throw new Refused(401, "APIGW.0301", "Incorrect IAM authentication information: invalid token");
            }
            return;
        }
        Matcher m = AUTH.matcher(String.valueOf(headers.get("authorization")));
        if (!m.matches()) {
            throw new Refused(
                    401, "APIGW.0301", "Incorrect IAM authentication information: no SDK-HMAC-SHA256 signature");
        }
        String secret = secrets.get(m.group(1));
        if (secret == null) {
            throw new Refused(401, "APIGW.0301", "Incorrect IAM authentication information: unknown access key");
        }
        String date = headers.get("x-sdk-date");
        try {
            Instant sent = LocalDateTime.parse(date, SDK_DATE).toInstant(ZoneOffset.UTC);
            if (Duration.between(sent, clock.instant()).abs().toMinutes() > 15) {
                throw new Refused(
                        401,
                        "APIGW.0301",
                        "Incorrect IAM authentication information: X-Sdk-Date is more than 15 minutes off");
            }
        } catch (RuntimeException e) {
            throw new Refused(
                    401, "APIGW.0301", "Incorrect IAM authentication information: X-Sdk-Date missing or malformed");
        }
        Map<String, String> signed = new LinkedHashMap<>();
        for (String name : m.group(2).split(";")) {
            String value = name.equals("host") ? headers.get("host") : headers.get(name);
            if (value == null) {
                throw new Refused(
                        401,
                        "APIGW.0301",
                        "Incorrect IAM authentication information: signed header " + name + " is missing");
            }
            signed.put(name, value);
        }
        if (!signed.containsKey("host") || !signed.containsKey("x-sdk-date")) {
            throw new Refused(
                    401, "APIGW.0301", "Incorrect IAM authentication information: host and x-sdk-date must be signed");
        }
        String payloadHash = headers.getOrDefault("x-sdk-content-sha256", HuaweiSigner.sha256Hex(body));
        // The signer encodes each decoded path segment (docs/providers.md §8.3): the path may come with the URN's
        // colons literal (the official SDK) or percent-encoded (this exporter); both sign urn%3Afss%3A…
        String canonical = HuaweiSigner.canonicalRequest(
                method,
                canonicalUri(rawPath),
                query,
                signed,
                payloadHash.equals("UNSIGNED-PAYLOAD") ? HuaweiSigner.sha256Hex("UNSIGNED-PAYLOAD") : payloadHash);
        String expected = HuaweiSigner.signature(canonical, date, secret);
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), m.group(3).getBytes(StandardCharsets.US_ASCII))) {
            throw new Refused(
                    401, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail");
        }
    }

    private static String canonicalUri(String rawPath) {
        String[] segments = rawPath.split("/");
        for (int i = 0; i < segments.length; i++) {
            // Percent-decoding only: a '+' in a path is a '+', not a space.
            segments[i] = URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        return HuaweiSigner.canonicalUri(segments);
    }
}
