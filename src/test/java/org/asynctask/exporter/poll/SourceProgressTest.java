package org.asynctask.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.testing.TestSources;
import org.junit.jupiter.api.Test;

/** One progress line per source and interval, summing its functions, saying how fresh it all is. */
class SourceProgressTest {
    private static PollTarget target(String sourceName, String function) {
        return TestSources.target(sourceName, function, Duration.ofSeconds(10));
    }

    @Test
    void oneLinePerSourceAndIntervalSummingItsFunctions() {
        PollTarget a = target("src", "a");
        PollTarget b = target("src", "b");
        PollTarget c = target("src", "c");
        PollTarget other = target("other", "d");
        List<PartitionKey> polledNow = new ArrayList<>(List.of(a.key(), b.key(), c.key(), other.key()));
        SourceProgress progress = new SourceProgress(source ->
                polledNow.stream().filter(k -> k.source().equals(source)).toList());

        assertThat(progress.polled(a, 5, 2, 3, 0, 1_000))
                .as("right after the first poll: every function the source polls, " + "not only the one polled yet")
                .isEqualTo(
                        "src: 3 function(s), 1 poll(s) (0 failed), 5 event(s), 2 API call(s); newest change published 0.0 s ago, "
                                + "2 function(s) not polled successfully yet; 3 open task(s), watermark 1 s behind");
        assertThat(progress.polled(b, 7, 1, 4, 500, 2_000)).isNull();
        assertThat(progress.polled(c, 0, 1, 0, 2_000, 2_500)).isNull();
        assertThat(progress.failed(a, 1, 1, 5_000)).isNull();
        assertThat(progress.polled(other, 0, 1, 0, 9_000, 10_000))
                .as("each source has its own line")
                .startsWith(
                        "other: 1 function(s), 1 poll(s) (0 failed), 0 event(s), 1 API call(s); no change published yet, ");
        assertThat(progress.polled(b, 0, 3, 2, 9_000, 11_000))
                .as("an interval after the last line: a's failed poll leaves its "
                        + "last success 10 s old, the newest change is the failed poll's, 6 s ago")
                .isEqualTo(
                        "src: 3 function(s), 4 poll(s) (1 failed), 8 event(s), 6 API call(s) in 10.0 s; newest change published "
                                + "6.0 s ago, every function polled within 10.0 s; 5 open task(s), watermark 11 s behind");
        assertThat(progress.polled(b, 1, 1, 1, 10_000, 12_000)).isNull();
    }

    @Test
    void aFunctionNoLongerPolledLeavesTheLine() {
        PollTarget a = target("src", "a");
        PollTarget gone = target("src", "gone");
        List<PartitionKey> polledNow = new ArrayList<>(List.of(a.key(), gone.key()));
        SourceProgress progress = new SourceProgress(source -> List.copyOf(polledNow));
        progress.polled(gone, 0, 1, 7, 0, 1_000);
        polledNow.remove(gone.key());

        assertThat(progress.polled(a, 0, 1, 1, 20_000, 21_000))
                .as("discovery dropped it: its open tasks and its age are not " + "the source's any more")
                .isEqualTo(
                        "src: 1 function(s), 1 poll(s) (0 failed), 0 event(s), 1 API call(s) in 20.0 s; no change published yet, "
                                + "every function polled within 0.0 s; 1 open task(s), watermark 1 s behind");
    }
}
