package io.predastore.node.store.cluster;

import io.predastore.node.erasure.InsufficientShardsException;
import io.predastore.node.store.ObjectBody;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.List;

/**
 * An object body read as a stream (the distributed backend has no local files to send).
 *
 * <p>A {@linkplain #primed primed} body reads its first byte (which decodes, and checks, the whole first stripe)
 * before it is handed to the HTTP layer, so that an object that cannot be read now is answered with an error
 * before any header of a success is sent. A failure found later, while the body streams, can only cut the
 * response short; the HTTP layer then closes the connection.
 */
final class StreamBody implements ObjectBody {
    interface Opener {
        InputStream open() throws IOException;
    }

    private final long length;
    private final Opener opener;
    private InputStream stream;

    StreamBody(long length, Opener opener) {
        this.length = length;
        this.opener = opener;
    }

    /**
     * Opens {@code opener} now and reads the first byte.
     *
     * @throws StorageException {@link StorageError#UNAVAILABLE} if fewer than k good shards of the first
     *     stripe could be read
     * @throws IOException if the read failed otherwise
     */
    static StreamBody primed(long length, String what, Opener opener) throws IOException {
        if (length == 0) {
            return new StreamBody(0, InputStream::nullInputStream);
        }
        PushbackInputStream in = new PushbackInputStream(opener.open(), 1);
        try {
            int first = in.read();
            if (first < 0) {
                throw new IOException(what + " ended before its first byte");
            }
            in.unread(first);
        } catch (IOException e) {
            closeQuietly(in, e);
            if (hasCause(e, InsufficientShardsException.class)) {
                throw new StorageException(StorageError.UNAVAILABLE,
                        what + " cannot be read now: too few of its shards are"
                        + " on nodes that are up and return their bytes intact (" + e.getMessage() + "). Retry"
                        + " later; if this persists, an operator should check the nodes holding it.");
            }
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(in, e);
            throw e;
        }
        StreamBody body = new StreamBody(length, () -> in);
        body.stream = in;
        return body;
    }

    private static void closeQuietly(InputStream in, Exception failure) {
        try {
            in.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public List<FileSlice> fileSlices() {
        return List.of();
    }

    @Override
    public InputStream openStream() throws IOException {
        if (stream == null) {
            stream = opener.open();
        }
        return stream;
    }

    @Override
    public void close() throws IOException {
        if (stream != null) {
            stream.close();
        }
    }
}
