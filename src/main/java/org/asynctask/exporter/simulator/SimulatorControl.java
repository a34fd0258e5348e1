package org.asynctask.exporter.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lets a test or an operator steer a running {@code simulate} process over HTTP:
 * <ul>
 * <li>{@code GET /_simulator/state}: whether it is quiet (no arrivals, every task finished) and the faults injected so far;</li>
 * <li>{@code POST /_simulator/faults/clear}: ends fault injection;</li>
 * <li>{@code POST /_simulator/arrivals/stop}: no new tasks; the open ones run to their end.</li>
 * </ul>
 */
final class SimulatorControl implements HttpHandler {
    static final String PATH = "/_simulator/";

    private final TaskLifecycleEngine engine;
    private final Faults faults;

    SimulatorControl(TaskLifecycleEngine engine, Faults faults) {
        this.engine = engine;
        this.faults = faults;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String action =
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            switch (action) {
                case "POST /_simulator/faults/clear" -> faults.clear();
                case "POST /_simulator/arrivals/stop" -> engine.stopArrivals();
                case "GET /_simulator/state" -> {}
                default -> {
                    SimHttp.json(exchange, 404, Map.of("error", "no control action " + action), Map.of());
                    return;
                }
            }
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("quiet", engine.quiet());
            state.put("faultsActive", faults.active());
            state.put("faultsInjected", faults.report());
            state.put("requests", faults.requests());
            SimHttp.json(exchange, 200, state, Map.of());
        } finally {
            exchange.close();
        }
    }
}
