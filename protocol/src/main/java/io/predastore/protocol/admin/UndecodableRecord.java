package io.predastore.protocol.admin;

import java.util.Objects;

/**
 * A metadata record that does not decode.
 *
 * @param table the metadata table, lower case
 * @param key the record's key in hex, as the {@code /v1/get} and {@code /v1/repair} routes take it
 * @param name what the record is for, e.g. {@code object photos/cat.jpg}
 * @param reason why it cannot be decoded
 * @param firstSeenMillis when this node first met it, epoch milliseconds
 * @param times how often this node has met it
 */
public record UndecodableRecord(String table, String key, String name, String reason, long firstSeenMillis,
        long times) {
    public UndecodableRecord {
        Checks.nonBlank(table, "table");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
        Checks.nonNegative(firstSeenMillis, "firstSeenMillis");
        Checks.nonNegative(times, "times");
    }
}
