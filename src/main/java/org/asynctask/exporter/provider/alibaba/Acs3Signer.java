package org.asynctask.exporter.provider.alibaba;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.asynctask.exporter.secret.Digests;

/**
 * Alibaba Cloud ACS3-HMAC-SHA256 request signing (docs/providers.md §8.1), used by the FC providers to
 * sign and by the simulators to verify, so both sides run the code the published vectors check.
 */
public final class Acs3Signer {
    public static final String ALGORITHM = "ACS3-HMAC-SHA256";
    public static final String EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private Acs3Signer() {}

    /** RFC 3986 encoding as Alibaba's openapiutil does it. */
    public static String percentEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
    }

    /** Parameters sorted by key, each {@code enc(k)=enc(v)}, joined by {@code &}. Also the query sent on the wire. */
    public static String canonicalQuery(Map<String, String> query) {
        StringJoiner joiner = new StringJoiner("&");
        new TreeMap<>(query).forEach((k, v) -> joiner.add(percentEncode(k) + "=" + percentEncode(v == null ? "" : v)));
        return joiner.toString();
    }

    /**
     * @param headers the headers to sign (any case); those named host, content-type or x-acs-* are signed
     */
    public static String canonicalRequest(
            String method,
            String encodedPath,
            Map<String, String> query,
            Map<String, String> headers,
            String hashedPayload) {
        TreeMap<String, String> signed = signedHeaders(headers);
        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach(
                (k, v) -> canonicalHeaders.append(k).append(':').append(v).append('\n'));
        return method
                + '\n'
                + (encodedPath.isEmpty() ? "/" : encodedPath)
                + '\n'
                + canonicalQuery(query)
                + '\n'
                + canonicalHeaders
                + '\n'
                + String.join(";", signed.keySet())
                + '\n'
                + hashedPayload;
    }

    public static String signature(String canonicalRequest, String secret) {
        String stringToSign = ALGORITHM + '\n' + sha256Hex(canonicalRequest);
        return HexFormat.of().formatHex(hmacSha256(secret.getBytes(StandardCharsets.UTF_8), stringToSign));
    }

    /** The Authorization header value for a request. */
    public static String authorization(
            String method,
            String encodedPath,
            Map<String, String> query,
            Map<String, String> headers,
            String hashedPayload,
            String accessKeyId,
            String secret) {
        String canonical = canonicalRequest(method, encodedPath, query, headers, hashedPayload);
        return ALGORITHM + " Credential=" + accessKeyId + ",SignedHeaders="
                + String.join(";", signedHeaders(headers).keySet()) + ",Signature=" + signature(canonical, secret);
    }

    static TreeMap<String, String> signedHeaders(Map<String, String> headers) {
        TreeMap<String, String> signed = new TreeMap<>();
        headers.forEach((k, v) -> {
            String name = k.toLowerCase(Locale.ROOT);
            if (name.equals("host") || name.equals("content-type") || name.startsWith("x-acs-")) {
                signed.put(name, v.trim());
            }
        });
        return signed;
    }

    public static String sha256Hex(String s) {
        return Digests.sha256Hex(s);
    }

    static byte[] hmacSha256(byte[] key, String data) {
        return Digests.hmacSha256(key, data);
    }
}
