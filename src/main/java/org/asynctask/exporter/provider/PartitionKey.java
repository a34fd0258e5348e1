package org.asynctask.exporter.provider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which unit is polled: one function (plus optional qualifier) of one account and region, listed
 * through one configured source. Every partition has its own checkpoint. "Where we are" lives in
 * {@link org.asynctask.exporter.checkpoint.Checkpoint}; the two never mix.
 *
 * @param namespace FC 2.0 service or SCF namespace; null where the provider has none
 * @param qualifier version or alias; null to list every qualifier of the function
 */
public record PartitionKey(
        String provider,
        String source,
        String account,
        String region,
        String namespace,
        String function,
        String qualifier) {

    public PartitionKey {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(function, "function");
    }

    /** Stable, human-readable id, used in logs and as checkpoint name. */
    public String id() {
        return String.join(
                "/", provider, source, orDash(account), orDash(region), orDash(namespace), function, orDash(qualifier));
    }

    /** Short name for log lines: {@code source/[namespace/]function[:qualifier]}. */
    public String displayName() {
        return source + "/" + (namespace == null ? "" : namespace + "/") + function
                + (qualifier == null ? "" : ":" + qualifier);
    }

    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("provider", provider);
        m.put("source", source);
        putIfSet(m, "account", account);
        putIfSet(m, "region", region);
        putIfSet(m, "namespace", namespace);
        m.put("function", function);
        putIfSet(m, "qualifier", qualifier);
        return m;
    }

    public static PartitionKey fromMap(Map<String, String> m) {
        return new PartitionKey(
                m.get("provider"),
                m.get("source"),
                m.get("account"),
                m.get("region"),
                m.get("namespace"),
                m.get("function"),
                m.get("qualifier"));
    }

    @Override
    public String toString() {
        return displayName();
    }

    private static void putIfSet(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
