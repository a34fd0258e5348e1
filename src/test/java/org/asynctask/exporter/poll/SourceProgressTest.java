package org.asynctask.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.asynctask.exporter.testing.TestSources;
import org.junit.jupiter.api.Test;

/** One progress line per source and interval, summing its functions. */
class SourceProgressTest {
    private static PollTarget target(String sourceName, String function) {
        return TestSources.target(sourceName, function, Duration.ofSeconds(10));
    }

    @Test
    void oneLinePerSourceAndIntervalSummingItsFunctions() {
        SourceProgress progress = new SourceProgress();
        PollTarget a = target("src", "a");
        PollTarget b = target("src", "b");
        PollTarget other = target("other", "c");

        assertThat(progress.polled(a, 5, 2, 3, 0, 1_000)).as("right after the first poll").startsWith("src: 1 function(s), 1 poll(s)");
        assertThat(progress.polled(b, 7, 1, 4, 500, 2_000)).isNull();
        assertThat(progress.failed(a, 1, 1, 5_000)).isNull();
        assertThat(progress.polled(other, 1, 1, 0, 9_000, 10_000)).as("each source has its own line").startsWith("other: ");
        assertThat(progress.polled(a, 2, 3, 2, 9_000, 11_000)).as("an interval after the last line")
                .isEqualTo("src: 2 function(s), 3 poll(s) (1 failed), 10 event(s), 5 API call(s) in 10.0 s; 6 open task(s), lag up to 10 s");
        assertThat(progress.polled(b, 1, 1, 1, 10_000, 12_000)).isNull();
    }
}
