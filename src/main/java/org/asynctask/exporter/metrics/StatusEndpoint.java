package org.asynctask.exporter.metrics;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;

/**
 * Serves {@link StatusReport} as {@code GET /status} on Camel's management server, next to
 * {@code /metrics} and {@code /health}: one port for everything an operator asks a running exporter.
 */
public final class StatusEndpoint {
    public static final String PATH = "/status";

    private StatusEndpoint() {
    }

    /** Adds the route to the running management server; does nothing when the server is off. */
    public static void install(CamelContext camel, StatusReport report) {
        ManagementHttpServer server = camel.hasService(ManagementHttpServer.class);
        if (server == null) {
            return;
        }
        server.getRouter().get(PATH).handler(ctx -> {
            String body;
            try {
                body = report.build().toPrettyString();
            } catch (RuntimeException e) {
                ctx.fail(e);
                return;
            }
            ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(body);
        });
    }
}
