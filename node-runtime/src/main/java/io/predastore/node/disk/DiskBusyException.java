package io.predastore.node.disk;

import java.io.IOException;

/**
 * A write was refused because the node's database held it back (while it writes out its buffers) for longer than
 * the writer may wait, with the disk not short of space. It is transient: the S3 layer answers it as
 * {@code 503 SlowDown}, which SDKs retry with back-off. A database that keeps doing this is reported by the disk's
 * health. The message carries no file system paths (it is shown to clients).
 */
public final class DiskBusyException extends IOException {
    private static final long serialVersionUID = 1L;

    /** How deep a cause chain is followed; chains are short, this only guards against cycles. */
    private static final int MAX_DEPTH = 16;

    public DiskBusyException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The DiskBusyException in {@code failure}'s cause chain (itself included), or null. */
    public static DiskBusyException in(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
            if (t instanceof DiskBusyException busy) {
                return busy;
            }
            t = t.getCause();
        }
        return null;
    }
}
