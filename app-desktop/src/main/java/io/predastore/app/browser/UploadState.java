package io.predastore.app.browser;

/**
 * Where an upload is. {@code QUEUED → UPLOADING → DONE | FAILED}; a cancel moves {@code QUEUED} or
 * {@code UPLOADING} to {@code CANCELLING}, which ends in {@code CANCELLED} once the transfer stopped (or in
 * {@code FAILED} if it failed first). {@code DONE}, {@code FAILED} and {@code CANCELLED} are final.
 */
public enum UploadState {
    QUEUED, UPLOADING, CANCELLING, DONE, FAILED, CANCELLED;

    /** Whether nothing more will happen. */
    public boolean isFinal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }

    /** Whether a cancel can still take effect. */
    public boolean isCancellable() {
        return this == QUEUED || this == UPLOADING;
    }
}
