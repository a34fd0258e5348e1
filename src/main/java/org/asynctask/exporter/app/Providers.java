package org.asynctask.exporter.app;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.asynctask.exporter.provider.TaskProvider;
import org.asynctask.exporter.provider.fc2.Fc2Provider;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.provider.huawei.FunctionGraphProvider;
import org.asynctask.exporter.provider.tencent.ScfProvider;

/** The providers this build knows, wired explicitly: adding a provider adds one line here. */
public final class Providers {
    private static final Map<String, TaskProvider> ALL = List.<TaskProvider>of(
                    new Fc3Provider(), new Fc2Provider(), new FunctionGraphProvider(), new ScfProvider())
            .stream()
            .collect(Collectors.toUnmodifiableMap(TaskProvider::id, Function.identity()));

    private Providers() {}

    public static TaskProvider get(String id) {
        return ALL.get(id);
    }

    /** Largest page size of a provider, or -1 when the id is unknown (for config validation). */
    public static int maxPageSize(String id) {
        TaskProvider p = ALL.get(id);
        return p == null ? -1 : p.maxPageSize();
    }
}
