package io.predastore.node.disk;

import java.io.IOException;

/**
 * New data was refused because the disk it would go to is out of space: free space is below the node's reserve,
 * or the file system itself ran out (ENOSPC) while the data was being written, in which case what was written has
 * been removed again. The S3 layer answers it as {@code 507 StorageFull}; the message says which node is full and
 * what to do, and carries no file system paths (it is shown to clients).
 *
 * <p>Deletes and aborts are never refused for space, so the condition clears once space is freed, without a
 * restart.
 */
public final class StorageFullException extends IOException {
    private static final long serialVersionUID = 1L;
    /** The advice every such message ends with. */
    public static final String WHAT_TO_DO = "Delete objects or abort multipart uploads to free space; writes resume "
            + "by themselves.";

    public StorageFullException(String message) {
        super(message);
    }

    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
