package org.asynctask.exporter.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.config.ConfigException;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.poll.PollTarget;
import org.asynctask.exporter.provider.FunctionRef;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.TaskProvider;

/** What the configuration says to poll: the listed functions' partitions, and the sources that discover theirs. */
public final class PollTargets {
    private PollTargets() {}

    /** One partition per configured function. */
    public static List<PollTarget> of(ExporterConfig config) {
        List<PollTarget> out = new ArrayList<>();
        for (SourceConfig source : config.sources()) {
            TaskProvider provider = Providers.get(source.provider());
            for (FunctionRef f : source.functions()) {
                out.add(new PollTarget(
                        new PartitionKey(
                                provider.id(),
                                source.name(),
                                source.account(),
                                source.region(),
                                f.namespace(),
                                f.name(),
                                f.qualifier()),
                        source,
                        provider));
            }
        }
        return out;
    }

    /** The sources that discover their functions, with their providers. */
    static Map<SourceConfig, TaskProvider> discovering(ExporterConfig config) {
        Map<SourceConfig, TaskProvider> out = new LinkedHashMap<>();
        for (SourceConfig source : config.sources()) {
            TaskProvider provider = Providers.get(source.provider());
            if (source.discovery().enabled()) {
                if (provider.discovery() == null) {
                    throw new ConfigException(
                            "exporter.source." + source.name() + ".discover",
                            "provider " + provider.id() + " cannot discover functions: list them in functions");
                }
                out.put(source, provider);
            }
        }
        return out;
    }
}
