package org.asynctask.exporter.provider.huawei;

import java.time.DateTimeException;
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
        Instant usual = usual(t);
        if (usual != null) {
            return usual;
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time like 2019-10-25T15:37:27");
        }
    }

    /**
     * The shape every invocation has, {@code yyyy-MM-ddTHH:mm:ss} with an optional fraction, read digit by digit:
     * the ISO formatter's field resolution was the largest part of parsing a page (issue 24). Null for anything
     * else, which the formatter then reads (or refuses) as before; HuaweiTimesTest holds the two together.
     */
    static Instant usual(String t) {
        int length = t.length();
        if (length < 19 || length == 20 || length > 29) {
            return null;
        }
        if (t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        int nanos = 0;
        if (length > 19) {
            if (t.charAt(19) != '.') {
                return null;
            }
            int fraction = digits(t, 20, length - 20);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = length - 20; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeException invalid) {
            return null;
        }
    }

    /** The number written by {@code count} ASCII digits from {@code at}; -1 if one of them is not a digit. */
    private static int digits(String t, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
