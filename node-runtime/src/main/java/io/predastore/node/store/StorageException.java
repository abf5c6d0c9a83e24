package io.predastore.node.store;

import java.util.Objects;

/**
 * A refusal or failure of a storage backend that the caller is expected to answer rather than log: one {@link
 * StorageError}, a message that says what went wrong and what to do, and the resource (bucket, key, upload) it is
 * about when that is not the one the request named. Unchecked, so that backend methods declare only {@link
 * java.io.IOException} for the storage itself failing. Immutable; no stack trace is filled in, as the error is an
 * answer and not a bug.
 */
public final class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final StorageError error;
    private final String resource;

    public StorageException(StorageError error, String message) {
        this(error, message, null, null);
    }

    public StorageException(StorageError error, String message, String resource, Throwable cause) {
        super(message, cause, false, false);
        this.error = Objects.requireNonNull(error, "error");
        this.resource = resource;
    }

    /** What went wrong. */
    public StorageError error() {
        return error;
    }

    /** The resource (bucket, key, upload) the error is about, or null for the one the request named. */
    public String resource() {
        return resource;
    }
}
