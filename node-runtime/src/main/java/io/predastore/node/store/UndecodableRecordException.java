package io.predastore.node.store;

import java.io.IOException;

/**
 * A stored metadata record cannot be decoded: a disk fault, a record written by another release, or bytes put in
 * place by hand. Only the request that needs this one record fails with it; the S3 layer answers it as
 * {@code 500 InternalError} with this message, which names the record but no file system paths. Listings skip
 * such records instead (see {@link UndecodableRecords}).
 */
public final class UndecodableRecordException extends IOException {
    private static final long serialVersionUID = 1L;

    public UndecodableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
