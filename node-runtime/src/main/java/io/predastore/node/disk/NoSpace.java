package io.predastore.node.disk;

import java.io.IOException;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * Recognises a failure caused by a full file system wherever it surfaced: a {@link StorageFullException}, a
 * RocksDB status with the {@code NoSpace} sub-code, or an I/O error carrying the C library's text for ENOSPC or
 * EDQUOT (which is how the JDK reports them).
 */
public final class NoSpace {
    /** How deep a cause chain is followed; chains are short, this only guards against cycles. */
    private static final int MAX_DEPTH = 16;

    private NoSpace() {
    }

    /** Whether {@code failure}, or anything in its cause chain, says that the disk is full. */
    public static boolean isCause(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
            if (t instanceof StorageFullException) {
                return true;
            }
            if (t instanceof RocksDBException r) {
                Status status = r.getStatus();
                if (status != null && status.getSubCode() == Status.SubCode.NoSpace) {
                    return true;
                }
            }
            String message = t.getMessage();
            if (message != null && (message.contains("No space left on device")
                    || message.contains("Disk quota exceeded"))) {
                return true;
            }
            t = t.getCause();
        }
        return false;
    }

    /**
     * {@code failure} itself, or, if the disk being full caused it, a {@link StorageFullException} that says so
     * with {@code failure} as its cause. {@code what} names the refused write for the message, e.g. "store the
     * object".
     */
    public static IOException classify(String what, IOException failure) {
        if (failure instanceof StorageFullException || !isCause(failure)) {
            return failure;
        }
        return new StorageFullException("Could not " + what + ": this node's disk is full. "
                + StorageFullException.WHAT_TO_DO, failure);
    }
}
