package io.predastore.node.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * The bytes of an object range, ready to send. File-backed bodies expose their file slices so the HTTP layer
 * can send them with zero-copy transfers; any body can be read as a stream. Close it once sent.
 */
public interface ObjectBody extends AutoCloseable {

    /** Number of bytes in this body. */
    long length();

    /** The slices of local files holding the bytes in order, or an empty list if the body is not file-backed. */
    List<FileSlice> fileSlices();

    /** Reads the bytes as a stream; used when the body is not file-backed or the connection is encrypted. */
    InputStream openStream() throws IOException;

    @Override
    void close() throws IOException;

    /** {@code length} bytes of an open file from {@code position}. The channel is owned by the body. */
    record FileSlice(FileChannel channel, long position, long length) {
    }
}
