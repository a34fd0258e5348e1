package org.asynctask.exporter.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asynctask.exporter.provider.alibaba.FcSigner;

/** Server-side check of the FC signature (§8.2), with the same {@link FcSigner} the vector checks. */
final class FcVerifier {
    private static final Pattern AUTH = Pattern.compile("FC ([^:]+):(.+)");
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private final Map<String, String> secrets;

    FcVerifier(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    /** @return null if the signature is valid */
    Acs3Verifier.Refusal verify(String method, String decodedPath, Map<String, String> headers, Instant now) {
        Matcher m = AUTH.matcher(String.valueOf(Acs3Verifier.header(headers, "authorization")));
        if (!m.matches()) {
            return new Acs3Verifier.Refusal(403, "SignatureNotMatch", "malformed FC Authorization header");
        }
        String secret = secrets.get(m.group(1));
        if (secret == null) {
            return new Acs3Verifier.Refusal(
                    403, "InvalidAccessKeyId.NotFound", "access key id " + m.group(1) + " does not exist");
        }
        String date = Acs3Verifier.header(headers, "date");
        try {
            Instant sent = ZonedDateTime.parse(date, FcSigner.DATE).toInstant();
            if (Duration.between(sent, now).abs().compareTo(MAX_SKEW) > 0) {
                return new Acs3Verifier.Refusal(403, "RequestTimeTooSkewed", "Date is more than 15 minutes off");
            }
        } catch (RuntimeException e) {
            return new Acs3Verifier.Refusal(403, "RequestTimeTooSkewed", "Date is missing or not RFC 1123 GMT");
        }
        String stringToSign = FcSigner.stringToSign(
                method,
                Acs3Verifier.header(headers, "content-md5"),
                Acs3Verifier.header(headers, "content-type"),
                date,
                headers,
                decodedPath);
        String expected = FcSigner.signature(stringToSign, secret);
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), m.group(2).getBytes(StandardCharsets.US_ASCII))) {
            return new Acs3Verifier.Refusal(403, "SignatureNotMatch", "the request signature does not match");
        }
        return null;
    }
}
