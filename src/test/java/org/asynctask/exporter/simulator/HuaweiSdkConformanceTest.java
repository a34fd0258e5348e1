package org.asynctask.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.huaweicloud.sdk.functiongraph.v2.FunctionGraphClient;
import com.huaweicloud.sdk.functiongraph.v2.model.ListAsyncInvocationsRequest;
import com.huaweicloud.sdk.functiongraph.v2.model.ListAsyncInvocationsResponse;
import com.huaweicloud.sdk.functiongraph.v2.model.ListFunctionAsyncInvocationsResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.asynctask.exporter.testing.OfficialSdks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Huawei's official Java SDK (huaweicloud-sdk-functiongraph 3.1.154) as the client of our FunctionGraph
 * simulator: it lists every page of a function's async invocations with its own requests (the URN's
 * colons literal in the path, each path segment signed percent-encoded, its own headers and times), and
 * the simulator accepts its signatures and answers in the shape its models read. Our simulator verifies
 * our own requests with our own signer; this closes the circle with code of the provider's.
 */
class HuaweiSdkConformanceTest {
    @TempDir
    Path dir;

    @Test
    void theOfficialSdkListsEveryPageOfTheSimulator() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, SimProfile.fast(4), Clock.systemUTC())) {
            // Enough tasks for more than two pages of five, however slowly a loaded machine lets the simulator run.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sim.engine()
                                    .read(e -> e.function("huawei-functiongraph", "default", "resize").tasks().stream()
                                            .filter(t -> t.startedMs() < System.currentTimeMillis() - 2_000)
                                            .count())
                            >= 15);
            FunctionGraphClient client = OfficialSdks.functionGraph(sim);
            String urn = "urn:fss:" + SimulatedFunctionGraph.REGION + ":" + SimulatedFunctionGraph.PROJECT
                    + ":function:default:resize:latest";
            // A range that ended a second ago holds no task still to come, so the listing is stable while it pages on.
            OffsetDateTime end = OffsetDateTime.now(ZoneOffset.UTC).withNano(0).minusSeconds(1);
            List<ListFunctionAsyncInvocationsResult> all = new ArrayList<>();
            String marker = "0";
            int pages = 0;
            while (marker != null) {
                ListAsyncInvocationsResponse page = client.listAsyncInvocations(new ListAsyncInvocationsRequest()
                        .withFunctionUrn(urn)
                        .withMarker(marker)
                        .withLimit("5")
                        .withQueryBeginTime(end.minusHours(3))
                        .withQueryEndTime(end));
                assertThat(page.getHttpStatusCode()).isEqualTo(200);
                all.addAll(page.getInvocations());
                pages++;
                Integer next = page.getNextMarker();
                marker = next == null || page.getInvocations().isEmpty() || next >= page.getCount()
                        ? null
                        : Integer.toString(next);
            }
            // The end time is inclusive to the second.
            long endSecond = end.toEpochSecond();
            List<String> inRange = sim.engine()
                    .read(e -> e.function("huawei-functiongraph", "default", "resize").tasks().stream()
                            .filter(t -> t.startedMs() / 1000 <= endSecond)
                            .map(SimTask::id)
                            .toList());
            assertThat(pages).as("several pages").isGreaterThan(2);
            assertThat(all)
                    .extracting(ListFunctionAsyncInvocationsResult::getRequestId)
                    .as("every invocation in the range, once")
                    .containsExactlyInAnyOrderElementsOf(inRange);
            assertThat(all).allSatisfy(r -> {
                assertThat(r.getStatus()).isNotNull();
                assertThat(r.getStartTime()).as("a start time the SDK parses").isNotNull();
            });
        }
    }
}
