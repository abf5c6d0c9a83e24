package io.predastore.protocol.admin;

import java.util.List;
import java.util.Objects;

/**
 * One node's identity and vital signs ({@code GET /admin/v1/status}).
 *
 * @param id node id, as in the cluster file
 * @param version software version
 * @param uptimeMillis milliseconds since the node started
 * @param host the host name or address the node advertises
 * @param ports the node's listening ports
 * @param diskUsedBytes bytes used by shard data on this node
 * @param shardCount number of shards stored on this node
 * @param raftRole this node's role in the metadata Raft group
 * @param backend the storage backend type, e.g. {@code "filesystem"} or {@code "cluster"}
 * @param storage the health of the node's data disk, or null from a node older than this field
 * @param jobs what each of the node's background jobs last did; empty from a node older than this field
 */
public record NodeStatus(String id, String version, long uptimeMillis, String host, Ports ports, long diskUsedBytes,
        long shardCount, RaftRole raftRole, String backend, StorageStatus storage, List<JobStatus> jobs) {

    /** A status without the storage health (as older nodes answer). */
    public NodeStatus(String id, String version, long uptimeMillis, String host, Ports ports, long diskUsedBytes,
            long shardCount, RaftRole raftRole, String backend) {
        this(id, version, uptimeMillis, host, ports, diskUsedBytes, shardCount, raftRole, backend, null);
    }

    /** A status without the background jobs (as older nodes answer). */
    public NodeStatus(String id, String version, long uptimeMillis, String host, Ports ports, long diskUsedBytes,
            long shardCount, RaftRole raftRole, String backend, StorageStatus storage) {
        this(id, version, uptimeMillis, host, ports, diskUsedBytes, shardCount, raftRole, backend, storage,
                List.of());
    }

    public NodeStatus {
        Checks.nonBlank(id, "id");
        Checks.nonBlank(version, "version");
        Checks.nonNegative(uptimeMillis, "uptimeMillis");
        Checks.nonBlank(host, "host");
        Objects.requireNonNull(ports, "ports");
        Checks.nonNegative(diskUsedBytes, "diskUsedBytes");
        Checks.nonNegative(shardCount, "shardCount");
        Objects.requireNonNull(raftRole, "raftRole");
        Checks.nonBlank(backend, "backend");
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    /** A node's listening ports; 0 means the service is not running on this node. */
    public record Ports(int s3, int raft, int shard, int admin) {
        public Ports {
            check(s3, "s3");
            check(raft, "raft");
            check(shard, "shard");
            check(admin, "admin");
        }

        private static void check(int port, String name) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("The " + name + " port must be 0 to 65535, not " + port);
            }
        }
    }
}
