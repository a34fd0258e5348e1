package org.asynctask.exporter.provider.huawei;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * FunctionGraph's times are read digit by digit in their usual shape (issue 24); every text must read as the ISO
 * formatter read it before: the same instant, or the same refusal.
 */
class HuaweiTimesTest {
    @Test
    void randomTimesOfEveryPrecisionReadAsTheFormatterReadsThem() {
        Random random = new Random(24);
        for (int i = 0; i < 20_000; i++) {
            long second = -62_167_219_200L + (long) (random.nextDouble() * 315_537_897_600L);
            int nanos = random.nextInt(1_000_000_000);
            String text = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC).toString();
            if (text.length() == 16) {
                text += ":00";
            }
            int fraction = i % 10;
            if (fraction > 0) {
                text += "." + String.format("%09d", nanos).substring(0, fraction);
            }
            String written = i % 3 == 0 ? text + "Z" : text;
            assertThat(HuaweiTimes.parse(written)).as(written).isEqualTo(formatter(text));
        }
    }

    @Test
    void oddTextsAreReadOrRefusedAsTheFormatterDoes() {
        for (String text : List.of(
                "2019-10-25T15:37:27",
                "2019-10-25T15:37",
                "2019-10-25T15:37:27.",
                "2019-10-25T15:37:27.1234567890",
                "2019-02-29T00:00:00",
                "2020-02-29T00:00:00",
                "2019-13-01T00:00:00",
                "2019-04-31T00:00:00",
                "2019-10-25T24:00:00",
                "2019-10-25T23:60:00",
                "2019-10-25T23:59:60",
                "2019-10-25 15:37:27",
                "2019-1-25T15:37:27",
                "+2019-10-25T15:37:27",
                "2019-10-25T15:37:2x",
                "2019-10-25T15:37:27.12x",
                "2019-10-25T15:37:27,123",
                "0000-01-01T00:00:00",
                "9999-12-31T23:59:59.999999999",
                "１０１９-10-25T15:37:27")) {
            Instant expected;
            try {
                expected = formatter(text);
            } catch (DateTimeParseException refused) {
                assertThatThrownBy(() -> HuaweiTimes.parse(text))
                        .as(text)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("'" + text + "' is not a time like 2019-10-25T15:37:27");
                continue;
            }
            assertThat(HuaweiTimes.parse(text)).as(text).isEqualTo(expected);
        }
    }

    private static Instant formatter(String text) {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    }
}
