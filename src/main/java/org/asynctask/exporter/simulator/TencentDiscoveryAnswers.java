package org.asynctask.exporter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.provider.tencent.ScfProvider;

/** What the simulated SCF answers to the two listings discovery walks: namespaces, then their functions. */
final class TencentDiscoveryAnswers {
    private TencentDiscoveryAnswers() {}

    /** ListNamespaces: the namespaces of the simulated SCF functions, paged by Offset and Limit. */
    static Map<String, Object> listNamespaces(TaskLifecycleEngine engine, JsonNode q) throws Refused {
        List<String> names = engine.read(e -> e.functions(ScfProvider.ID).stream()
                .map(FunctionSim::namespace)
                .distinct()
                .toList());
        List<Object> page = new ArrayList<>();
        for (String n : slice(names, q)) {
            page.add(Map.of("Name", n));
        }
        return Map.of("Namespaces", page, "TotalCount", names.size());
    }

    /** ListFunctions: the functions of one namespace, paged by Offset and Limit. */
    static Map<String, Object> listFunctions(TaskLifecycleEngine engine, JsonNode q) throws Refused {
        String namespace = q.path("Namespace").asText("default");
        List<String> names = engine.read(e -> e.functions(ScfProvider.ID).stream()
                .filter(f -> f.namespace().equals(namespace))
                .map(FunctionSim::name)
                .toList());
        List<Object> page = new ArrayList<>();
        for (String n : slice(names, q)) {
            page.add(Map.of("FunctionName", n, "Namespace", namespace));
        }
        return Map.of("Functions", page, "TotalCount", names.size());
    }

    private static List<String> slice(List<String> all, JsonNode q) throws Refused {
        long offset = q.path("Offset").asLong(0);
        long limit = q.path("Limit").asLong(20);
        if (limit < 1 || limit > 100) {
            throw new Refused(400, "InvalidParameterValue.Limit", "Limit must be in [1,100]");
        }
        return all.subList((int) Math.min(offset, all.size()), (int) Math.min(offset + limit, all.size()));
    }
}
