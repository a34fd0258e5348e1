package org.asynctask.exporter.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.asynctask.exporter.secret.Redaction;
import org.asynctask.exporter.secret.Secret;

/**
 * Typed reads of configuration values. Every failure names the full key. Values may reference the
 * environment with {@code {{env:NAME}}} or {@code {{env:NAME:default}}}; secrets may also come from a
 * mounted file through the {@code <key>-file} variant of their key.
 */
final class ConfigValues {
    private static final Pattern SECRET_URI_PARAMETER =
            Pattern.compile("[?&]([^=&]*(?i:password|secret|token|passphrase)[^=&]*)=([^&]*)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}}");

    private final Map<String, String> raw;
    private final UnaryOperator<String> env;

    ConfigValues(Map<String, String> raw, UnaryOperator<String> env) {
        this.raw = raw;
        this.env = env;
    }

    boolean has(String key) {
        return raw.containsKey(key) && !raw.get(key).isBlank();
    }

    String string(String key, String def) {
        String value = raw.get(key);
        if (value == null || value.isBlank()) {
            return def;
        }
        return resolve(key, value.trim());
    }

    String required(String key, String what) {
        String value = string(key, null);
        if (value == null || value.isEmpty()) {
            throw new ConfigException(key, "is required (" + what + ")");
        }
        return value;
    }

    Duration duration(String key, Duration def) {
        String value = string(key, null);
        if (value == null) {
            return def;
        }
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    /** A duration above zero (zero would mean "never" or "at once" where neither makes sense). */
    Duration positiveDuration(String key, Duration def) {
        Duration d = duration(key, def);
        if (d != null && d.isZero()) {
            throw new ConfigException(key, "must be more than 0");
        }
        return d;
    }

    int integer(String key, int def, int min, int max) {
        String value = string(key, null);
        if (value == null) {
            return def;
        }
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + value + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new ConfigException(key, n + " is out of range " + min + ".." + max);
        }
        return n;
    }

    boolean bool(String key, boolean def) {
        String value = string(key, null);
        if (value == null) {
            return def;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigException(key, "'" + value + "' is not true or false");
        }
        return Boolean.parseBoolean(value);
    }

    /**
     * A secret from {@code key}, which must be {@code {{env:…}}}, or from the file named by {@code key-file}.
     */
    Secret secret(String key, boolean required) {
        String fileKey = key + "-file";
        if (has(key) && has(fileKey)) {
            throw new ConfigException(key, "set either " + key + " or " + fileKey + ", not both");
        }
        refuseWrittenIn(key, " or set " + fileKey + " to a mounted file");
        if (has(fileKey)) {
            Path path = Path.of(string(fileKey, null));
            try {
                String value = Files.readString(path, StandardCharsets.UTF_8).strip();
                if (value.isEmpty()) {
                    throw new ConfigException(fileKey, "file " + path + " is empty");
                }
                return new Secret(value);
            } catch (IOException e) {
                // The reason, never the content: "Is a directory", "Permission denied", or the missing path.
                throw new ConfigException(
                        fileKey,
                        "cannot read secret file " + path + ": "
                                + (e.getMessage() == null || e.getMessage().equals(path.toString())
                                        ? e.getClass().getSimpleName()
                                        : e.getMessage()));
            }
        }
        String value = string(key, null);
        if (value == null) {
            if (required) {
                throw new ConfigException(
                        key, "is required: set it to {{env:VARIABLE}} or set " + fileKey + " to a mounted file");
            }
            return null;
        }
        return new Secret(value);
    }

    /**
     * Refuses a secret {@code key} whose value is anything but one {@code {{env:…}}} reference: files of
     * configuration get committed and copied. @param otherWay what else works for this key, or ""
     */
    void refuseWrittenIn(String key, String otherWay) {
        if (has(key) && !PLACEHOLDER.matcher(raw.get(key).trim()).matches()) {
            throw new ConfigException(
                    key,
                    "is a secret and may not be written in the configuration: set it to {{env:VARIABLE}}" + otherWay);
        }
    }

    /**
     * An endpoint URI whose query parameters that carry a secret (their name holds password, secret, token
     * or passphrase) must each be one {@code {{env:…}}}: the rest of the URI may be written out. The
     * secrets it resolves to are masked from then on, like every other secret.
     */
    String uriWithSecrets(String key, String what) {
        String written = raw.get(key);
        if (written == null || written.isBlank()) {
            throw new ConfigException(key, "is required: " + what);
        }
        Matcher params = SECRET_URI_PARAMETER.matcher(written);
        while (params.find()) {
            if (!PLACEHOLDER.matcher(params.group(2)).matches()) {
                throw new ConfigException(
                        key,
                        "its parameter " + params.group(1) + " is a secret and may not be written in the configuration:"
                                + " set it to {{env:VARIABLE}}");
            }
        }
        String uri = string(key, null);
        Matcher resolved = SECRET_URI_PARAMETER.matcher(uri);
        while (resolved.find()) {
            Redaction.register(resolved.group(2));
        }
        return uri;
    }

    private String resolve(String key, String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String found = env.apply(m.group(1));
            if (found == null) {
                found = m.group(2);
            }
            if (found == null) {
                throw new ConfigException(key, "environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(found));
        }
        m.appendTail(out);
        if (out.indexOf("{{") >= 0) {
            throw new ConfigException(
                    key,
                    "unsupported placeholder in '" + (key.contains("secret") || key.contains("token") ? "****" : value)
                            + "' (only {{env:NAME}} and {{env:NAME:default}} are supported)");
        }
        return out.toString();
    }

    /** A size: bytes, or with KB, MB or GB (powers of 1024). */
    long size(String key) {
        String text = string(key, "0").trim().toUpperCase(Locale.ROOT);
        Matcher m = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?").matcher(text);
        if (!m.matches()) {
            throw new ConfigException(key, "'" + text + "' is not a size (e.g. 100MB, 512KB, 1048576)");
        }
        int shift = m.group(2) == null
                ? 0
                : switch (m.group(2)) {
                    case "KB" -> 10;
                    case "MB" -> 20;
                    case "GB" -> 30;
                    default -> 0;
                };
        return Long.parseLong(m.group(1)) << shift;
    }

    /** One of the enum's constants, written in lower case; the first is the default. */
    <E extends Enum<E>> E kind(String key, Class<E> kinds) {
        E[] all = kinds.getEnumConstants();
        String value = string(key, all[0].name().toLowerCase(Locale.ROOT));
        for (E k : all) {
            if (k.name().toLowerCase(Locale.ROOT).equals(value)) {
                return k;
            }
        }
        throw new ConfigException(
                key,
                "'" + value + "' is not one of "
                        + String.join(
                                ", ",
                                Arrays.stream(all)
                                        .map(k -> k.name().toLowerCase(Locale.ROOT))
                                        .toList()));
    }

    /** One of {@code allowed}, or {@code def} when the key is absent. */
    String oneOf(String key, String def, String... allowed) {
        String value = string(key, def);
        if (!Arrays.asList(allowed).contains(value)) {
            throw new ConfigException(key, "'" + value + "' is not one of " + String.join(", ", allowed));
        }
        return value;
    }
}
