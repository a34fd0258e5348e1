package org.asynctask.exporter.provider;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Function discovery of a source ({@code discover=true}): the provider lists the functions that have
 * async tasks, every {@code interval}; {@code include} / {@code exclude} are glob patterns
 * ({@code *} = any characters) matched against {@code namespace/function}, e.g. {@code orders-*}/{@code *}.
 */
public record DiscoverySettings(boolean enabled, Duration interval, List<String> include, List<String> exclude) {

    public static final DiscoverySettings OFF =
            new DiscoverySettings(false, Duration.ofMinutes(10), List.of(), List.of());

    public DiscoverySettings {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    /** Included (by any include pattern, or by default when there is none) and not excluded. */
    public boolean accepts(FunctionRef f) {
        String name = (f.namespace() == null ? "" : f.namespace() + "/") + f.name();
        return (include.isEmpty()
                        || include.stream().anyMatch(p -> glob(p).matcher(name).matches()))
                && exclude.stream().noneMatch(p -> glob(p).matcher(name).matches());
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
