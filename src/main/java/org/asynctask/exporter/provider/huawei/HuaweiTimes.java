package org.asynctask.exporter.provider.huawei;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * FunctionGraph times: {@code yyyy-MM-dd'T'HH:mm:ss}, UTC, no zone suffix (docs/providers.md §4.1, §4.2);
 * the official SDK sends a trailing {@code Z}, so both are read.
 */
public final class HuaweiTimes {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private HuaweiTimes() {}

    /** Seconds precision: rounded down (a lower bound stays inclusive). */
    public static String floor(Instant t) {
        return FORMAT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Seconds precision: rounded up (an upper bound stays inclusive). */
    public static String ceil(Instant t) {
        Instant down = t.truncatedTo(ChronoUnit.SECONDS);
        return FORMAT.format(down.equals(t) ? down : down.plusSeconds(1));
    }

    /** @return null for null or empty (a running invocation has no end time yet) */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        if (t.endsWith("Z")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time like 2019-10-25T15:37:27");
        }
    }
}
