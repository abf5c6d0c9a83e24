package io.predastore.node.s3;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** The two date formats S3 speaks: ISO-8601 with milliseconds in XML, RFC 1123 in headers. */
final class Dates {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Dates() {
    }

    static String iso(Instant t) {
        return ISO_MILLIS.format(t);
    }

    static String http(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(
                t.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
    }

    /** Parses an ISO-8601 instant as XML carries it ({@code 2026-01-02T03:04:05.678Z}), or returns null. */
    static Instant parseIso(String value) {
        if (value == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Parses an HTTP date, or returns null if it is not one (S3 then ignores the condition). */
    static Instant parseHttp(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
