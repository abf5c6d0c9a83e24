package io.predastore.node.remote;

import java.io.IOException;

/**
 * Something failed on or on the way to a remote host. The message names the host ({@code user@host:port}), what
 * failed and what to do about it, so a caller can show it as it is.
 */
public class RemoteException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient SshTarget target;

    public RemoteException(SshTarget target, String message) {
        super(message);
        this.target = target;
    }

    public RemoteException(SshTarget target, String message, Throwable cause) {
        super(message, cause);
        this.target = target;
    }

    /** The host it is about. */
    public SshTarget target() {
        return target;
    }
}
