package org.asynctask.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@code simulate --faults} means by its numbers. */
class FaultsTest {
    private static final int REQUESTS = 100_000;

    private static double failedShare(Faults faults) {
        int failed = 0;
        for (int i = 0; i < REQUESTS; i++) {
            if (faults.wireFault("alibaba-fc3") != null) {
                failed++;
            }
        }
        return failed / (double) REQUESTS;
    }

    @Test
    void allIsTheRateInTotalSpreadOverTheKinds() {
        // 0.09 over nine kinds: 0.01 each; a request draws the six wire kinds, so about 6 % fail (1 - 0.99^6).
        assertThat(failedShare(Faults.parse("all=0.09", 1)))
                .as("share of requests that get a wire fault")
                .isBetween(0.050, 0.067);
    }

    @Test
    void aKindNamedAfterAllOverridesItsShare() {
        Faults faults = Faults.parse("all=0.09,server-error=0.5", 1);
        assertThat(failedShare(faults)).isBetween(0.50 + 0.5 * 0.04, 0.50 + 0.5 * 0.06);
        assertThat(faults.injected("alibaba-fc3", FaultKind.SERVER_ERROR))
                .isBetween((long) (REQUESTS * 0.48), (long) (REQUESTS * 0.52));
    }

    @Test
    void aSlowAnswerByDefaultComesWithinTheDefaultResponseTimeout() {
        assertThat(Faults.parse("slow=1", 1).slow().toMillis())
                .isEqualTo(Faults.DEFAULT_SLOW_MS)
                .isLessThan(30_000);
    }
}
