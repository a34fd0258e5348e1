package org.asynctask.exporter.provider.alibaba;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Function Compute "FC" signature (docs/providers.md §8.2), used by the FC 2.0 native API:
 * {@code Authorization: FC <AccessKeyId>:<base64 HMAC-SHA256>} over method, Content-MD5, Content-Type,
 * Date, the {@code x-fc-*} headers and the URL-decoded path (no query). Used by the FC 2.0 provider
 * to sign and by its simulator to verify.
 */
public final class FcSigner {
    /** RFC 1123 in GMT, as FC expects in {@code Date}. */
    public static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private FcSigner() {}

    public static String date(Instant instant) {
        return DATE.format(instant);
    }

    /**
     * @param headers any headers; those whose lower-case name starts with {@code x-fc-} are signed
     * @param decodedPath the request path, URL-decoded, without query
     */
    public static String stringToSign(
            String method,
            String contentMd5,
            String contentType,
            String date,
            Map<String, String> headers,
            String decodedPath) {
        TreeMap<String, String> fcHeaders = new TreeMap<>();
        headers.forEach((k, v) -> {
            String name = k.toLowerCase(Locale.ROOT);
            if (name.startsWith("x-fc-")) {
                fcHeaders.put(name, v.trim());
            }
        });
        StringBuilder sb = new StringBuilder();
        sb.append(method)
                .append('\n')
                .append(nullToEmpty(contentMd5))
                .append('\n')
                .append(nullToEmpty(contentType))
                .append('\n')
                .append(date)
                .append('\n');
        fcHeaders.forEach((k, v) -> sb.append(k).append(':').append(v).append('\n'));
        sb.append(decodedPath);
        return sb.toString();
    }

    public static String signature(String stringToSign, String secret) {
        return Base64.getEncoder()
                .encodeToString(Acs3Signer.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), stringToSign));
    }

    public static String authorization(String accessKeyId, String stringToSign, String secret) {
        return "FC " + accessKeyId + ":" + signature(stringToSign, secret);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
