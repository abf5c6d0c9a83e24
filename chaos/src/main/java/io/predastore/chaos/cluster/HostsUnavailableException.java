package io.predastore.chaos.cluster;

import java.io.IOException;

/**
 * Network namespaces cannot be made on this machine: the process is not root (or lacks {@code CAP_SYS_ADMIN} and
 * {@code CAP_NET_ADMIN}), or iproute2's {@code ip} is missing. The message says what to install or how to run.
 */
public final class HostsUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    HostsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
