package org.asynctask.exporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ConcurrentPollsTest {
    @Test
    void twoRequestsOfOnePartitionAnsweredTogetherCountTwoOneAfterTheOtherOne() throws Exception {
        ConcurrentPolls polls = new ConcurrentPolls();
        polls.hold(Duration.ofMillis(200));
        CountDownLatch entered = new CountDownLatch(2);
        Runnable poller = () -> {
            try (ConcurrentPolls.Request r = polls.enter("fc3/orders")) {
                entered.countDown();
            }
        };
        Thread a = new Thread(poller);
        Thread b = new Thread(poller);
        a.start();
        b.start();
        a.join();
        b.join();
        try (ConcurrentPolls.Request r = polls.enter("fc3/thumbnails")) {
            // one at a time
        }
        try (ConcurrentPolls.Request r = polls.enter("fc3/thumbnails")) {
            // and again
        }
        assertThat(entered.getCount()).isZero();
        assertThat(polls.most()).containsEntry("fc3/orders", 2).containsEntry("fc3/thumbnails", 1);

        polls.reset();
        assertThat(polls.most()).isEmpty();
    }
}
