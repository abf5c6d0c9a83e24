package io.predastore.app.service;

/** Lets tests in other packages advance a {@link Transfer} as an uploading store would. */
public final class TransferAccess {
    private TransferAccess() {
    }

    public static void advance(Transfer transfer, long bytes) {
        transfer.advance(bytes);
    }
}
