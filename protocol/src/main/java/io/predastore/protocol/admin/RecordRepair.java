package io.predastore.protocol.admin;

import java.util.Objects;

/**
 * A repair of the metadata done through the admin API: who did what to which record, and when.
 *
 * @param atMillis when, epoch milliseconds
 * @param accessKey the access key that signed the request
 * @param client the address the request came from
 * @param action what was done, e.g. {@code remove-undecodable}
 * @param table the metadata table, lower case
 * @param key the record's key in hex
 * @param reason why the record qualified, e.g. why it does not decode
 */
public record RecordRepair(long atMillis, String accessKey, String client, String action, String table, String key,
        String reason) {
    public RecordRepair {
        Checks.nonNegative(atMillis, "atMillis");
        Checks.nonBlank(accessKey, "accessKey");
        Objects.requireNonNull(client, "client");
        Checks.nonBlank(action, "action");
        Checks.nonBlank(table, "table");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
    }
}
