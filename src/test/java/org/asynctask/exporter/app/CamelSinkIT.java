package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.provider.tencent.ScfProvider;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Await;
import org.asynctask.exporter.testing.Checks;
import org.asynctask.exporter.testing.GroundTruth;
import org.asynctask.exporter.testing.Outage;
import org.asynctask.exporter.testing.PublishedEvents;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.asynctask.exporter.testing.TruthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exporter.sink=camel} with two components, camel-file's appending endpoint and camel-http posting to a
 * receiver on loopback: every status change reaches it, judged against the simulator's ground truth; an endpoint
 * that fails stops the checkpoints, says so in readiness, and once it works again the exporter catches up by
 * itself, losing nothing. (camel-sql is the third, in ArchiveIT.)
 */
class CamelSinkIT {
    @TempDir
    Path dir;

    @Test
    void everyChangeReachesTheEndpointAndAFailingOneHoldsTheCheckpoints() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, FaultInjectionIT.QUICK, Clock.systemUTC())) {
            Path endpointDir = dir.resolve("camel");
            // camel-file appends each event to one file; it reads a backslash-n in the URI as a new line.
            String uri = "file:" + endpointDir + "?fileName=events.jsonl&fileExist=Append&appendChars=\\n";
            ExporterConfig config = TestExporter.config(
                    sim,
                    TestExporter.FAST_POLLING,
                    TestExporter.scfWithinItsRateLimit(Map.of(
                            "exporter.sink", "camel",
                            "exporter.sink.uri", uri,
                            "exporter.retry.max-backoff", "2s")));
            List<TruthCheck.Window> working = new ArrayList<>();
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                long started =
                        Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> PublishedEvents.read(endpointDir).events().size() > 50);

                // The endpoint's directory replaced by a plain file: every send fails (even for root).
                Outage outage = Outage.of(endpointDir);
                working.add(new TruthCheck.Window(started, outage.startedMs));
                outage.assertCheckpointsHold(app, config);
                Readiness.Answer down = Readiness.awaitReady(app.metricsPort(), 503, Duration.ofSeconds(10));
                assertThat(down.body())
                        .contains("\"name\":\"sink\"")
                        .contains("Camel sink (file:" + endpointDir)
                        .contains("did not take event");
                working.add(new TruthCheck.Window(outage.end(app, sim, endpointDir), Long.MAX_VALUE));
            }
            PublishedEvents published = PublishedEvents.readAfterStop(endpointDir);
            TruthCheck.polledEvery(Duration.ofMillis(300))
                    .except(ScfProvider.ID, TestExporter.SCF_INTERVAL)
                    .runningIn(working)
                    .check(GroundTruth.read(sim.transitions()), published);
            // The outage can begin part-way through a batch: the events appended before it are sent again with
            // the rest once the endpoint works (at-least-once: a message per event, no way to take one back), and
            // must be the same events.
            Checks.repeatsAreIdentical(published);
            assertThat(published.events())
                    .as("each line is one event's JSON and nothing else")
                    .allMatch(e -> e.line().startsWith("{\"specversion\":\"1.0\"")
                            && e.line().endsWith("}"));
        }
    }

    /** An HTTP receiver: takes each POST (200) and keeps it, or, while failing, refuses it (503) and keeps nothing. */
    private static final class Receiver implements AutoCloseable {
        record Request(Headers headers, String body) {}

        final List<Request> taken = new CopyOnWriteArrayList<>();
        volatile boolean failing;
        private final HttpServer server;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/events", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                boolean take = !failing && exchange.getRequestMethod().equals("POST");
                if (take) {
                    taken.add(new Request(exchange.getRequestHeaders(), body));
                }
                exchange.sendResponseHeaders(take ? 200 : 503, -1);
                exchange.close();
            });
            server.start();
        }

        String uri() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
        }

        PublishedEvents events() {
            return PublishedEvents.of(taken.stream().map(Request::body).toList());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void camelHttpPostsEachEventWithItsCloudEventHeadersAndA503HoldsTheCheckpoints() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, FaultInjectionIT.QUICK, Clock.systemUTC());
                Receiver receiver = new Receiver()) {
            ExporterConfig config = TestExporter.config(
                    sim,
                    TestExporter.FAST_POLLING,
                    TestExporter.scfWithinItsRateLimit(Map.of(
                            "exporter.sink", "camel",
                            "exporter.sink.uri", receiver.uri(),
                            "exporter.retry.max-backoff", "2s")));
            List<TruthCheck.Window> working = new ArrayList<>();
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                long started =
                        Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(20)).until(() -> receiver.taken.size() > 50);

                receiver.failing = true;
                long outage = System.currentTimeMillis();
                working.add(new TruthCheck.Window(started, outage));
                Outage.assertCheckpointsHold(app, config, outage);
                Readiness.Answer down = Readiness.awaitReady(app.metricsPort(), 503, Duration.ofSeconds(10));
                assertThat(down.body())
                        .contains("Camel sink (http://127.0.0.1:")
                        .contains("did not take event");

                receiver.failing = false;
                Readiness.awaitReady(app.metricsPort(), 200, Duration.ofSeconds(15));
                working.add(new TruthCheck.Window(
                        Readiness.awaitCaughtUp(app.metricsPort(), System.currentTimeMillis(), Duration.ofSeconds(30)),
                        Long.MAX_VALUE));
                sim.engine().stopArrivals();
                await().atMost(Duration.ofSeconds(30)).until(sim.engine()::quiet);
                Await.allFinalStatuses(sim, receiver::events, Duration.ofSeconds(45));
            }
            PublishedEvents published = receiver.events();
            TruthCheck.polledEvery(Duration.ofMillis(300))
                    .except(ScfProvider.ID, TestExporter.SCF_INTERVAL)
                    .runningIn(working)
                    .check(GroundTruth.read(sim.transitions()), published);
            // A batch refused half-way is sent again from its start: at-least-once, under the same ids.
            Checks.repeatsAreIdentical(published);
            for (int i = 0; i < published.events().size(); i++) {
                Headers headers = receiver.taken.get(i).headers();
                PublishedEvents.Event event = published.events().get(i);
                assertThat(headers.getFirst("ce_id")).isEqualTo(event.id());
                assertThat(headers.getFirst("ce_taskkey"))
                        .isEqualTo(event.json().get("taskkey").asText());
                assertThat(headers.getFirst("ce_type"))
                        .isEqualTo(event.json().get("type").asText());
                assertThat(headers.getFirst("Content-Type")).startsWith("application/cloudevents+json");
            }
        }
    }
}
