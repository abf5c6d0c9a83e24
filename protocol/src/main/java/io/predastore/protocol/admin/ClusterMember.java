package io.predastore.protocol.admin;

/**
 * One node of the cluster: where a client and the other nodes reach it, and its state as a member. The cluster's
 * replicated member list is a {@link ClusterMembers} of these.
 *
 * @param id        node id, e.g. {@code node-3}
 * @param host      the host name or address the node advertises
 * @param s3Port    its S3 port
 * @param adminPort its admin API port
 * @param s3Tls     whether its S3 port serves HTTPS; null (absent, from a node older than TLS on S3) means false
 * @param adminTls  whether its admin API serves HTTPS (with the node's certificate); null means false
 * @param raftPort  its metadata (Raft) port; null when not known (a node older than the replicated member list)
 * @param shardPort its shard transport port; null when not known
 * @param state     its state as a member; null (a node older than the replicated member list) means active
 */
public record ClusterMember(String id, String host, int s3Port, int adminPort, Boolean s3Tls, Boolean adminTls,
        Integer raftPort, Integer shardPort, MemberState state) {
    public ClusterMember {
        Checks.nonBlank(id, "id");
        Checks.nonBlank(host, "host");
        // Boxed so that JSON without the flags (older nodes) reads; never null once built.
        s3Tls = s3Tls != null && s3Tls;
        adminTls = adminTls != null && adminTls;
        state = state == null ? MemberState.ACTIVE : state;
        if (!validPort(s3Port) || !validPort(adminPort) || raftPort != null && !validPort(raftPort)
                || shardPort != null && !validPort(shardPort)) {
            throw new IllegalArgumentException("Ports must be 1 to 65535, not s3 " + s3Port + ", admin " + adminPort
                    + ", raft " + raftPort + " and shard " + shardPort);
        }
    }

    /** An active member known by its S3 and admin ports only. */
    public ClusterMember(String id, String host, int s3Port, int adminPort, Boolean s3Tls, Boolean adminTls) {
        this(id, host, s3Port, adminPort, s3Tls, adminTls, null, null, MemberState.ACTIVE);
    }

    /** An active member whose S3 port and admin API are plain HTTP. */
    public ClusterMember(String id, String host, int s3Port, int adminPort) {
        this(id, host, s3Port, adminPort, false, false);
    }

    /** The same member in another state. */
    public ClusterMember withState(MemberState newState) {
        return new ClusterMember(id, host, s3Port, adminPort, s3Tls, adminTls, raftPort, shardPort, newState);
    }

    private static boolean validPort(int port) {
        return port >= 1 && port <= 65535;
    }
}
