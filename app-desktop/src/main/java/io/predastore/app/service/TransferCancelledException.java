package io.predastore.app.service;

import java.io.InterruptedIOException;

/** An upload stopped because the user cancelled it; nothing was stored. */
public final class TransferCancelledException extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    public TransferCancelledException() {
        super("cancelled");
    }
}
