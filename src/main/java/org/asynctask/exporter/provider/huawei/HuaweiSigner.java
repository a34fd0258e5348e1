package org.asynctask.exporter.provider.huawei;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.asynctask.exporter.secret.Digests;

/**
 * Huawei Cloud APIG AK/SK signing, SDK-HMAC-SHA256 (docs/providers.md §8.3), as
 * {@code com.huaweicloud.sdk.core.auth.AKSKSigner} does it. Used by the FunctionGraph provider to sign
 * and by its simulator to verify.
 */
public final class HuaweiSigner {
    public static final String ALGORITHM = "SDK-HMAC-SHA256";
    public static final String EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private HuaweiSigner() {}

    /** URLEncoder, then the RFC 3986 fixes: so {@code :} in a function URN becomes {@code %3A}. */
    public static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
    }

    /** Each decoded path segment encoded, each followed by {@code /}: the canonical URI always ends with a slash. */
    public static String canonicalUri(String... decodedSegments) {
        StringBuilder sb = new StringBuilder("/");
        for (String segment : decodedSegments) {
            if (!segment.isEmpty()) {
                sb.append(urlEncode(segment)).append('/');
            }
        }
        return sb.toString();
    }

    /** Keys and values encoded, sorted by key, {@code k=v} joined by {@code &}. Also the query sent. */
    public static String canonicalQuery(Map<String, String> query) {
        StringJoiner joiner = new StringJoiner("&");
        new TreeMap<>(query).forEach((k, v) -> joiner.add(urlEncode(k) + "=" + urlEncode(v == null ? "" : v)));
        return joiner.toString();
    }

    /**
     * @param signedHeaders the headers to sign, any case (the signer's choice; at least host and x-sdk-date)
     */
    public static String canonicalRequest(
            String method,
            String canonicalUri,
            Map<String, String> query,
            Map<String, String> signedHeaders,
            String hashedPayload) {
        TreeMap<String, String> headers = lowerCase(signedHeaders);
        StringBuilder canonicalHeaders = new StringBuilder();
        headers.forEach((k, v) ->
                canonicalHeaders.append(k).append(':').append(v.trim()).append('\n'));
        return method
                + '\n'
                + canonicalUri
                + '\n'
                + canonicalQuery(query)
                + '\n'
                + canonicalHeaders
                + '\n'
                + String.join(";", headers.keySet())
                + '\n'
                + hashedPayload;
    }

    public static String signature(String canonicalRequest, String sdkDate, String secretKey) {
        String stringToSign = ALGORITHM + '\n' + sdkDate + '\n' + sha256Hex(canonicalRequest);
        return HexFormat.of().formatHex(Digests.hmacSha256(secretKey.getBytes(StandardCharsets.UTF_8), stringToSign));
    }

    public static String authorization(String accessKey, Map<String, String> signedHeaders, String signature) {
        return ALGORITHM + " Access=" + accessKey + ", SignedHeaders="
                + String.join(";", lowerCase(signedHeaders).keySet()) + ", Signature=" + signature;
    }

    static TreeMap<String, String> lowerCase(Map<String, String> headers) {
        TreeMap<String, String> out = new TreeMap<>();
        headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }

    public static String sha256Hex(String s) {
        return Digests.sha256Hex(s);
    }
}
