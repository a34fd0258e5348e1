package org.asynctask.exporter.provider.tencent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.asynctask.exporter.secret.Digests;

/**
 * Tencent Cloud API 3.0 TC3-HMAC-SHA256 signing (docs/providers.md §8.4), used by the SCF provider to sign
 * and by its simulator to verify.
 */
public final class Tc3Signer {
    public static final String ALGORITHM = "TC3-HMAC-SHA256";
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private Tc3Signer() {}

    /** The UTC date of the request timestamp: part of the credential scope. */
    public static String date(long timestampSeconds) {
        return DATE.format(Instant.ofEpochSecond(timestampSeconds));
    }

    /**
     * @param signedHeaders the headers to sign (the SDK signs content-type and host; newer docs also
     *                      x-tc-action, lower-cased value); names lower-cased, values trimmed
     */
    public static String canonicalRequest(
            String method, String canonicalQuery, Map<String, String> signedHeaders, String payload) {
        TreeMap<String, String> headers = new TreeMap<>();
        signedHeaders.forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.trim()));
        StringBuilder canonicalHeaders = new StringBuilder();
        headers.forEach(
                (k, v) -> canonicalHeaders.append(k).append(':').append(v).append('\n'));
        return method + "\n/\n" + canonicalQuery + "\n" + canonicalHeaders + "\n" + String.join(";", headers.keySet())
                + "\n" + sha256Hex(payload);
    }

    public static String signature(String canonicalRequest, String service, long timestamp, String secretKey) {
        String date = date(timestamp);
        String scope = date + "/" + service + "/tc3_request";
        String stringToSign = ALGORITHM + "\n" + timestamp + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
        byte[] kDate = hmac(("TC3" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        byte[] kService = hmac(kDate, service);
        byte[] kSigning = hmac(kService, "tc3_request");
        return HexFormat.of().formatHex(hmac(kSigning, stringToSign));
    }

    public static String authorization(
            String secretId, String service, long timestamp, Map<String, String> signedHeaders, String signature) {
        TreeMap<String, String> names = new TreeMap<>();
        signedHeaders.keySet().forEach(k -> names.put(k.toLowerCase(Locale.ROOT), k));
        return ALGORITHM + " Credential=" + secretId + "/" + date(timestamp) + "/" + service
                + "/tc3_request, SignedHeaders=" + String.join(";", names.keySet()) + ", Signature=" + signature;
    }

    public static String sha256Hex(String s) {
        return Digests.sha256Hex(s);
    }

    private static byte[] hmac(byte[] key, String data) {
        return Digests.hmacSha256(key, data);
    }
}
