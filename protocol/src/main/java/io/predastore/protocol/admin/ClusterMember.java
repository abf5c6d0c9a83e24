package io.predastore.protocol.admin;

/**
 * One node of the cluster and where a client reaches it, so that a client knowing one node's admin endpoint can
 * find the others.
 *
 * @param id node id, e.g. {@code node-3}
 * @param host the host name or address the node advertises
 * @param s3Port its S3 port
 * @param adminPort its admin API port
 * @param s3Tls whether its S3 port serves HTTPS; null (absent, from a node older than TLS on S3) means false
 * @param adminTls whether its admin API serves HTTPS (with the node's certificate); null means false
 */
public record ClusterMember(String id, String host, int s3Port, int adminPort, Boolean s3Tls, Boolean adminTls) {
    public ClusterMember {
        Checks.nonBlank(id, "id");
        Checks.nonBlank(host, "host");
        // Boxed so that JSON without the flags (older nodes) reads; never null once built.
        s3Tls = s3Tls != null && s3Tls;
        adminTls = adminTls != null && adminTls;
        if (s3Port < 1 || s3Port > 65535 || adminPort < 1 || adminPort > 65535) {
            throw new IllegalArgumentException("Ports must be 1 to 65535, not s3 " + s3Port + " and admin "
                    + adminPort);
        }
    }

    /** A member whose S3 port and admin API are plain HTTP. */
    public ClusterMember(String id, String host, int s3Port, int adminPort) {
        this(id, host, s3Port, adminPort, false, false);
    }
}
