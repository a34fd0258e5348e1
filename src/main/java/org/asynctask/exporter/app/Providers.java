package org.asynctask.exporter.app;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.asynctask.exporter.provider.ProviderCatalog;
import org.asynctask.exporter.provider.SourceRules;
import org.asynctask.exporter.provider.TaskProvider;
import org.asynctask.exporter.provider.fc2.Fc2Provider;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.provider.huawei.FunctionGraphProvider;
import org.asynctask.exporter.provider.tencent.ScfProvider;

/** The providers this build knows, wired explicitly: adding a provider adds one line here. */
public final class Providers {
    private static final List<TaskProvider> REGISTERED =
            List.of(new Fc3Provider(), new Fc2Provider(), new FunctionGraphProvider(), new ScfProvider());

    private static final Map<String, TaskProvider> ALL =
            REGISTERED.stream().collect(Collectors.toUnmodifiableMap(TaskProvider::id, Function.identity()));

    /** The registered providers as the configuration's validation sees them. */
    private static final ProviderCatalog CATALOG = new ProviderCatalog() {
        @Override
        public List<String> ids() {
            return REGISTERED.stream().map(TaskProvider::id).toList();
        }

        @Override
        public SourceRules rules(String id) {
            TaskProvider p = ALL.get(id);
            return p == null ? null : p.sourceRules();
        }
    };

    private Providers() {}

    public static TaskProvider get(String id) {
        return ALL.get(id);
    }

    public static ProviderCatalog catalog() {
        return CATALOG;
    }
}
