package org.asynctask.exporter.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asynctask.exporter.provider.alibaba.Acs3Signer;

/**
 * Server-side check of an ACS3-HMAC-SHA256 signature, as the Alibaba gateway does: rebuilds the
 * canonical request from what arrived (method, raw path, decoded query, the headers the client says
 * it signed) and compares. Uses the same {@link Acs3Signer} the published vectors check.
 */
final class Acs3Verifier {
    private static final Pattern AUTH =
            Pattern.compile("ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})");
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);

    /** Why a request was refused: FC-style code and message. */
    record Refusal(int status, String code, String message) {}

    private final Map<String, String> secrets;

    /** @param secrets access key id to secret */
    Acs3Verifier(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    /** @return null if the signature is valid */
    Refusal verify(
            String method,
            String rawPath,
            Map<String, String> query,
            Map<String, String> headers,
            String body,
            Instant now) {
        String authorization = header(headers, "authorization");
        if (authorization == null) {
            return new Refusal(403, "AccessDenied", "the request is not signed (no Authorization header)");
        }
        Matcher m = AUTH.matcher(authorization);
        if (!m.matches()) {
            return new Refusal(403, "SignatureNotMatch", "malformed ACS3-HMAC-SHA256 Authorization header");
        }
        String secret = secrets.get(m.group(1));
        if (secret == null) {
            return new Refusal(403, "InvalidAccessKeyId.NotFound", "access key id " + m.group(1) + " does not exist");
        }
        String date = header(headers, "x-acs-date");
        try {
            if (date == null || Duration.between(Instant.parse(date), now).abs().compareTo(MAX_SKEW) > 0) {
                return new Refusal(403, "RequestTimeTooSkewed", "x-acs-date is missing or more than 15 minutes off");
            }
        } catch (RuntimeException e) {
            return new Refusal(403, "RequestTimeTooSkewed", "x-acs-date is not yyyy-MM-ddTHH:mm:ssZ");
        }
        String contentSha = header(headers, "x-acs-content-sha256");
        if (contentSha == null || !contentSha.equals(Acs3Signer.sha256Hex(body))) {
            return new Refusal(403, "SignatureNotMatch", "x-acs-content-sha256 does not match the body");
        }
        Map<String, String> signed = new LinkedHashMap<>();
        for (String name : m.group(2).split(";")) {
            String value = header(headers, name);
            if (value == null) {
                return new Refusal(403, "SignatureNotMatch", "signed header " + name + " is missing");
            }
            signed.put(name, value);
        }
        if (!signed.containsKey("host") || !signed.containsKey("x-acs-date")) {
            return new Refusal(403, "SignatureNotMatch", "host and x-acs-date must be signed");
        }
        String canonical = Acs3Signer.canonicalRequest(method, rawPath, query, signed, contentSha);
        String expected = Acs3Signer.signature(canonical, secret);
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), m.group(3).getBytes(StandardCharsets.US_ASCII))) {
            return new Refusal(403, "SignatureNotMatch", "the request signature does not match");
        }
        return null;
    }

    static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
