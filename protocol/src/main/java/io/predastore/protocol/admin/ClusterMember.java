package io.predastore.protocol.admin;

/**
 * One node of the cluster and where a client reaches it, so that a client knowing one node's admin endpoint can
 * find the others.
 *
 * @param id node id, e.g. {@code node-3}
 * @param host the host name or address the node advertises
 * @param s3Port its S3 port
 * @param adminPort its admin API port
 */
public record ClusterMember(String id, String host, int s3Port, int adminPort) {
    public ClusterMember {
        Checks.nonBlank(id, "id");
        Checks.nonBlank(host, "host");
        if (s3Port < 1 || s3Port > 65535 || adminPort < 1 || adminPort > 65535) {
            throw new IllegalArgumentException("Ports must be 1 to 65535, not s3 " + s3Port + " and admin "
                    + adminPort);
        }
    }
}
