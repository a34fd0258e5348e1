package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.metrics.PartitionState;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The routes of {@code routes/*.camel.yaml} run by camel-test-main's {@link CamelMainTestSupport}, as Camel Main
 * runs them (the classpath's application.properties with its routes pattern), over the exporter's own beans and
 * properties ({@link ExporterApp#beans}, {@link ExporterApp#routeProperties}) and a simulator, with the Camel sink
 * on a {@link MockEndpoint}. {@link NotifyBuilder} says when polls are done; {@link AdviceWith} makes the HTTP step
 * fail or time out.
 */
class PollRoutesMainTest extends CamelMainTestSupport {
    @TempDir
    Path dir;

    private SimulatorServer sim;
    private ExporterConfig config;
    private ExporterApp app;

    @Override
    public void configureTest(TestExecutionConfiguration test) {
        super.configureTest(test);
        // Each test starts the context itself, after any advice.
        test.withUseAdviceWith(true);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC());
        config = TestExporter.config(
                sim, TestExporter.FAST_POLLING, Map.of("exporter.sink", "camel", "exporter.sink.uri", "mock:events"));
        app = new ExporterApp(config, Clock.systemUTC());
        // Camel Main reads them when it makes the context, over the classpath's application.properties.
        camelContextConfiguration().withUseOverridePropertiesWithPropertiesComponent(app.routeProperties());
        CamelContext context = super.createCamelContext();
        app.runRoutesIn(context);
        return context;
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        app.beans().forEach(registry::bind);
    }

    /** After Camel stopped: the app's sink and store, then the simulator. */
    @Override
    protected void doPostTearDown() throws Exception {
        try {
            app.close();
        } finally {
            sim.close();
        }
    }

    @Test
    void polledChangesReachTheCamelSinkWithTheirHeadersAndTheCheckpointsFollow() throws Exception {
        NotifyBuilder polls =
                new NotifyBuilder(context).fromRoute("poll").whenCompleted(20).create();
        context.start();
        assertThat(polls.matches(30, TimeUnit.SECONDS)).as("20 polls done").isTrue();

        MockEndpoint events = getMockEndpoint("mock:events");
        List<Exchange> received = events.getReceivedExchanges();
        assertThat(received).as("the busy simulator's changes").isNotEmpty();
        for (Exchange e : received) {
            var json = Json.MAPPER.readTree(new String(e.getMessage().getBody(byte[].class), StandardCharsets.UTF_8));
            assertThat(e.getMessage().getHeader("ce_id"))
                    .isEqualTo(json.get("id").asText());
            assertThat(e.getMessage().getHeader("ce_taskkey"))
                    .isEqualTo(json.get("taskkey").asText());
            assertThat(e.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class))
                    .startsWith("application/cloudevents+json");
        }
        assertThat(TestExporter.savedCheckpoints(config))
                .as("a checkpoint for every polled partition")
                .containsOnlyKeys(app.partitions());
    }

    @ParameterizedTest
    @ValueSource(strings = {"connection reset", "read timed out"})
    void anHttpStepThatFailsIsHandledByTheFailureStepAndNothingMoves(String failure) throws Exception {
        AdviceWith.adviceWith(
                context,
                "poll",
                route -> route.weaveByToUri("http://provider-api*")
                        .replace()
                        .throwException(
                                failure.equals("read timed out")
                                        ? new SocketTimeoutException("advised: " + failure)
                                        : new IOException("advised: " + failure)));
        NotifyBuilder polls =
                new NotifyBuilder(context).fromRoute("poll").whenDone(10).create();
        context.start();
        assertThat(polls.matches(30, TimeUnit.SECONDS)).as("10 polls done").isTrue();

        assertThat(app.partitionStates())
                .as("every partition's poll failed, handled by the poll route's failure step")
                .allSatisfy((PartitionState p) -> assertThat(p.lastError()).contains("advised: " + failure));
        assertThat(getMockEndpoint("mock:events").getReceivedCounter())
                .as("nothing published")
                .isZero();
        assertThat(TestExporter.savedCheckpoints(config))
                .as("no checkpoint saved")
                .isEmpty();
    }
}
