package org.asynctask.exporter.event;

import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()} (ISO-8601 in UTC, {@code DateTimeFormatter.ISO_INSTANT}) written digit by digit: the
 * formatter's field queries cost more than the rest of an event's serialization. Years 0000 to 9999 only, where
 * the two agree character for character (IsoInstantTest); others go to {@link Instant#toString()}.
 */
final class IsoInstant {
    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z. */
    private static final long FIRST_SECOND = -62_167_219_200L;

    private static final long END_SECOND = 253_402_300_800L;

    private IsoInstant() {}

    static String format(Instant instant) {
        char[] chars = chars(instant);
        return chars == null ? instant.toString() : new String(chars);
    }

    /** The characters of {@link #format}, or null out of the years it writes. */
    static char[] chars(Instant instant) {
        long second = instant.getEpochSecond();
        if (second < FIRST_SECOND || second >= END_SECOND) {
            return null;
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(second, 86_400));
        int secondOfDay = (int) Math.floorMod(second, 86_400);
        int nanos = instant.getNano();
        char[] out = new char[nanos == 0 ? 20 : nanos % 1_000_000 == 0 ? 24 : nanos % 1000 == 0 ? 27 : 30];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        if (nanos != 0) {
            out[19] = '.';
            int fraction = out.length - 21;
            int value = fraction == 3 ? nanos / 1_000_000 : fraction == 6 ? nanos / 1000 : nanos;
            digits(out, 20, value, fraction);
        }
        out[out.length - 1] = 'Z';
        return out;
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
