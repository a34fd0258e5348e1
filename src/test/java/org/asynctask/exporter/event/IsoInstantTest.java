package org.asynctask.exporter.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantTest {
    @Test
    void writesWhatInstantToStringWrites() {
        Random random = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(
                    -62_167_219_200L + (long) (random.nextDouble() * 315_537_897_600L),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1000;
                        default -> random.nextInt(1_000_000_000);
                    });
            assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void theEdgesOfItsYearsAndBeyondThem() {
        for (Instant instant : new Instant[] {
            Instant.parse("0000-01-01T00:00:00Z"),
            Instant.parse("0000-01-01T00:00:00Z").minusNanos(1),
            Instant.parse("9999-12-31T23:59:59.999999999Z"),
            Instant.parse("9999-12-31T23:59:59.999999999Z").plusNanos(1),
            Instant.EPOCH,
            Instant.EPOCH.minusMillis(1),
            Instant.parse("2024-02-29T12:00:00.100Z"),
            Instant.parse("2026-12-03T11:00:00.000010Z"),
            Instant.MIN,
            Instant.MAX
        }) {
            assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString());
        }
    }
}
