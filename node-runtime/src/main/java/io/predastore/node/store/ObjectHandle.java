package io.predastore.node.store;

import java.io.IOException;

/**
 * An opened object version. Reading it is safe while the key is concurrently overwritten or deleted. Not
 * thread-safe; close it when done (the bodies it opened stay readable until they are closed themselves).
 */
public interface ObjectHandle extends AutoCloseable {

    /** The record of the opened version. */
    ObjectInfo info();

    /**
     * Opens {@code length} bytes from {@code offset}; the caller has checked the range against the size.
     */
    ObjectBody open(long offset, long length) throws IOException;

    @Override
    void close() throws IOException;
}
