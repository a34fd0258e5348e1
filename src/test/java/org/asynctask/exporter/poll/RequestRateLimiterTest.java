package org.asynctask.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.asynctask.exporter.testing.RateLimits;
import org.junit.jupiter.api.Test;

class RequestRateLimiterTest {
    private final RequestRateLimiter limiter = new RequestRateLimiter();

    private int freeNow(String key, int perSecond) throws InterruptedException {
        return RateLimits.freeNow(limiter, key, perSecond);
    }

    @Test
    void aGroupMemberKeepsItsShareOfEachAccountsLimitAndOneRequestForAnAccountItDoesNotPoll() throws Exception {
        limiter.share(Map.of("scf/half", 0.5, "scf/none", 0.0));
        assertThat(freeNow("scf/half", 20)).as("half of 20").isEqualTo(10);
        assertThat(freeNow("scf/none", 20))
                .as("no partition of it: one, for discovery")
                .isEqualTo(1);
        assertThat(freeNow("scf/unshared", 20))
                .as("a key without a share: all of it")
                .isEqualTo(20);
        assertThat(freeNow("fc3/unlimited", 0)).as("no limit").isEqualTo(1_000);
    }
}
