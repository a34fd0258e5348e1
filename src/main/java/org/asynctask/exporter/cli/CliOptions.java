package org.asynctask.exporter.cli;

import java.util.Map;

/** Option values the commands share, refused with a usage error naming the option. */
final class CliOptions {
    private CliOptions() {}

    /** {@code --metrics-port N} overrides exporter.metrics.port. */
    static void metricsPort(Map<String, String> raw, Map<String, String> options) {
        if (options.containsKey("--metrics-port")) {
            raw.put("exporter.metrics.port", Integer.toString(intOption(options, "--metrics-port", 9876)));
        }
    }

    static int intOption(Map<String, String> options, String name, int def) {
        String v = options.get(name);
        try {
            return v == null ? def : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new Cli.UsageException(name + ": '" + v + "' is not a number");
        }
    }

    static long seed(Map<String, String> options) {
        return intOption(options, "--seed", 42);
    }
}
