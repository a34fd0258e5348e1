package org.asynctask.exporter.provider;

/**
 * One function named in a source's {@code functions} list: {@code name}, {@code name:qualifier},
 * {@code namespace/name} or {@code namespace/name:qualifier} (namespace = FC 2.0 service or SCF namespace).
 */
public record FunctionRef(String namespace, String name, String qualifier) {

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    public static FunctionRef parse(String text) {
        String rest = text.trim();
        String namespace = null;
        String qualifier = null;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            namespace = rest.substring(0, slash);
            rest = rest.substring(slash + 1);
        }
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            qualifier = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        if (rest.isEmpty() || "".equals(namespace) || "".equals(qualifier) || rest.contains("/")) {
            throw new IllegalArgumentException("'" + text + "' is not a function (write name, name:qualifier, "
                    + "namespace/name or namespace/name:qualifier)");
        }
        return new FunctionRef(namespace, rest, qualifier);
    }
}
