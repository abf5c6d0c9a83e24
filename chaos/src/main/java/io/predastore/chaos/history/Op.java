package io.predastore.chaos.history;

import java.util.List;
import java.util.Objects;

/**
 * One client operation in a history: who ran it, on which key, when it was invoked and completed, and what came
 * of it. Values are identified by write ids: every write puts a body carrying a fresh id (see
 * {@link io.predastore.chaos.history.Bodies}), so a read tells exactly which write it returns.
 *
 * @param id         unique in the history, in invocation order
 * @param worker     the client that ran it (a client runs one operation at a time)
 * @param node       the node the request went to, e.g. {@code n3}
 * @param type       what it did
 * @param key        the object key ({@link OpType#LIST}: the prefix listed)
 * @param value      the write id it wrote ({@link OpType#PUT}, {@link OpType#MULTIPART}, {@link OpType#CREATE},
 *                   {@link OpType#REPLACE}); null otherwise
 * @param expected   for {@link OpType#REPLACE}: the write id whose ETag it sent in {@code If-Match}; null otherwise
 * @param invoked    nanoseconds since the run started, when the request was about to be sent
 * @param completed  nanoseconds since the run started, when the answer (or the failure) came
 * @param outcome    how it ended
 * @param observed   for an {@link Outcome#OK} {@link OpType#GET} or {@link OpType#HEAD}: the write id read, or
 *                   null when the object was absent (404 NoSuchKey); null otherwise
 * @param corrupt    for a GET: the bytes read were not a body any write produced (a wrong key or checksum inside
 *                   them, or a wrong length)
 * @param listed     for an {@link Outcome#OK} {@link OpType#LIST}: the keys listed; empty otherwise
 * @param error      what went wrong (HTTP status and S3 code, or the exception), for the report; null when OK
 */
public record Op(long id, int worker, String node, OpType type, String key, String value, String expected,
        long invoked, long completed, Outcome outcome, String observed, boolean corrupt, List<String> listed,
        String error) {
    public Op {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(outcome, "outcome");
        listed = listed == null ? List.of() : List.copyOf(listed);
        if (completed < invoked) {
            throw new IllegalArgumentException("operation " + id + " completed before it was invoked");
        }
    }
}
