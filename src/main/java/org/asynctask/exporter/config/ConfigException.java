package org.asynctask.exporter.config;

/** Invalid or missing configuration. The message always starts with the offending key. */
public class ConfigException extends RuntimeException {
    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
    }
}
