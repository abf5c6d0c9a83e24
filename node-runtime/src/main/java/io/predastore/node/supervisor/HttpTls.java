package io.predastore.node.supervisor;

import java.util.Locale;

/**
 * Whether {@code cluster init} gives a dev cluster's S3 port and admin API TLS (node-to-node traffic always has
 * it). Written out per node in the cluster file, so the choice is visible and can be changed there.
 */
public enum HttpTls {
    /** TLS unless the node's host is a loopback address, which no other machine can reach. */
    AUTO,
    /** TLS on every node, also on loopback (what tests of TLS use). */
    ON,
    /** Plain HTTP on every node, also on other addresses (trusted networks only). */
    OFF;

    /** Whether a node at {@code host} gets TLS on its S3 and admin ports. */
    public boolean enabledFor(String host) {
        return switch (this) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> !DevCertificates.isLoopback(host);
        };
    }

    /** {@code auto}, {@code on} or {@code off}, as on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
