package io.predastore.node.meta;

import java.io.IOException;

/**
 * A position among the entries of one metadata table whose keys start with a given prefix, in unsigned byte order:
 * what a listing walks. A backend opens it over its own store (an iterator of a local database, or pages of
 * {@link io.predastore.node.meta.MetadataStore#scan} on the cluster); the listing code is written once against it.
 *
 * <p>Not thread-safe: one listing uses it, then closes it. {@link IOException} means the store could not be read.
 */
public interface MetaCursor extends AutoCloseable {

    /** Moves to the first entry whose key is at least {@code target} (and starts with the prefix). */
    void seek(byte[] target) throws IOException;

    /** Whether the cursor is at an entry; false once past the last key with the prefix. */
    boolean valid() throws IOException;

    /** The current entry's key; only while {@link #valid()}. */
    byte[] key();

    /** The current entry's whole value; only while {@link #valid()}. */
    byte[] value() throws IOException;

    /**
     * Copies the first bytes of the current value into {@code into} and returns how many were copied, so that a
     * decoder that needs only a record's header can avoid copying the rest (a store that reads whole values anyway
     * copies from them).
     */
    default int valueHead(byte[] into) throws IOException {
        byte[] v = value();
        int n = Math.min(v.length, into.length);
        System.arraycopy(v, 0, into, 0, n);
        return n;
    }

    /** Moves to the next entry. */
    void next() throws IOException;

    @Override
    void close();
}
