package org.asynctask.exporter.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One simulated task as the Alibaba API of a {@link AlibabaDialect} lists it (FC 3.0 task, FC 2.0 invocation). */
final class AlibabaTaskJson {
    private static final Set<String> TERMINAL = Set.of("Succeeded", "Failed", "Stopped", "Expired", "Invalid");

    private AlibabaTaskJson() {}

    static Map<String, Object> of(
            AlibabaDialect dialect, String account, String region, FunctionSim f, SimTask t, boolean includePayload) {
        boolean fc2 = dialect.fc2Fields();
        Map<String, Object> o = new LinkedHashMap<>();
        String status = t.status();
        boolean done = TERMINAL.contains(status);
        o.put(fc2 ? "invocationId" : "taskId", t.id());
        o.put("requestId", t.requestId());
        if (fc2) {
            o.put("serviceName", f.namespace());
            o.put("functionName", f.name());
        } else {
            o.put("functionArn", "acs:fc:" + region + ":" + account + ":functions/" + f.name);
        }
        o.put("status", status);
        o.put("startedTime", t.startedMs());
        long firstRun = t.firstRunMs();
        if (done) {
            o.put("endTime", t.endMs());
            if (!fc2) {
                o.put("durationMs", firstRun == 0 ? 0 : t.endMs() - firstRun);
            }
            o.put("destinationStatus", status);
        }
        o.put("alreadyRetriedTimes", t.retries());
        o.put("qualifier", t.qualifier());
        if (firstRun != 0) {
            o.put("instanceId", "c-" + Long.toHexString(t.startedMs()) + "-" + Math.abs(t.id().hashCode() % 1000));
        }
        if (status.equals("Failed")) {
            o.put(fc2 ? "invocationErrorMessage" : "taskErrorMessage", "UnhandledInvocationError");
        }
        if (includePayload) {
            o.put(fc2 ? "invocationPayload" : "taskPayload", t.payload());
            if (!fc2 && status.equals("Succeeded")) {
                o.put("returnPayload", "{\"ok\":true}");
            }
        }
        List<Object> events = new ArrayList<>();
        List<SimTask.Step> history = t.history();
        for (int i = 0; i < history.size(); i++) {
            SimTask.Step s = history.get(i);
            events.add(
                    Map.of("eventId", i + 1, "status", s.status(), "timestamp", s.atMs(), "eventDetail", s.detail()));
        }
        o.put("events", events);
        return o;
    }
}
