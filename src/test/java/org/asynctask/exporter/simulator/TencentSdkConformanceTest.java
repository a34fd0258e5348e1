package org.asynctask.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.tencentcloudapi.scf.v20180416.ScfClient;
import com.tencentcloudapi.scf.v20180416.models.AsyncEvent;
import com.tencentcloudapi.scf.v20180416.models.ListAsyncEventsRequest;
import com.tencentcloudapi.scf.v20180416.models.ListAsyncEventsResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.asynctask.exporter.testing.OfficialSdks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tencent's official Java SDK (tencentcloud-sdk-java 3.1.1000) as the client of our SCF simulator: it
 * lists every page of a function's async events with its own TC3-signed requests, for the production
 * host {@code scf.tencentcloudapi.com} (so it signs service {@code scf}), sent through its proxy setting
 * to the simulator on loopback; the simulator accepts its signatures and answers in the shape its models
 * read.
 */
class TencentSdkConformanceTest {
    @TempDir
    Path dir;

    @Test
    void theOfficialSdkListsEveryPageOfTheSimulator() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, SimProfile.fast(4), Clock.systemUTC())) {
            // Enough tasks for more than two pages of five, however slowly a loaded machine lets the simulator run.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sim.engine()
                                    .read(e -> e.function("tencent-scf", "default", "report")
                                            .tasks()
                                            .size())
                            >= 15);
            ScfClient client = OfficialSdks.scf(sim);
            List<AsyncEvent> all = new ArrayList<>();
            long offset = 0;
            int pages = 0;
            long total;
            do {
                ListAsyncEventsRequest request = new ListAsyncEventsRequest();
                request.setFunctionName("report");
                request.setNamespace("default");
                request.setOrder("ASC");
                request.setOrderby("StartTime");
                request.setOffset(offset);
                request.setLimit(5L);
                ListAsyncEventsResponse page = client.ListAsyncEvents(request);
                total = page.getTotalCount();
                all.addAll(List.of(page.getEventList()));
                offset += page.getEventList().length;
                pages++;
                if (page.getEventList().length == 0) {
                    break;
                }
            } while (offset < total);
            assertThat(pages).as("several pages").isGreaterThan(2);
            Set<String> ids = new HashSet<>();
            all.forEach(e -> ids.add(e.getInvokeRequestId()));
            // The simulator adds events while a listing pages on, as SCF does: each is listed, some twice.
            assertThat(ids.size()).as("every event").isGreaterThanOrEqualTo((int) total - 2 * pages);
            assertThat(all).allSatisfy(e -> {
                assertThat(e.getStatus()).isIn("RUNNING", "FINISHED", "FAILED", "ABORTED");
                assertThat(e.getStartTime()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
            });
        }
    }
}
