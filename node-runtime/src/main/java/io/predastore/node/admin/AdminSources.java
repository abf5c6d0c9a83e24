package io.predastore.node.admin;

import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.store.UndecodableRecords;
import io.predastore.protocol.admin.ClusterHealth;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.Counters;
import io.predastore.protocol.admin.NodeStatus;
import io.predastore.protocol.admin.ObjectPlacement;
import io.predastore.protocol.admin.RaftGroupStatus;
import io.predastore.protocol.admin.RingView;
import io.predastore.protocol.admin.ProtectionReport;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Where the {@link AdminServer} gets its answers; implemented by the node runtime. Methods are called on admin
 * worker threads, possibly concurrently, and may block briefly. An {@link IOException} (or an
 * {@link java.io.UncheckedIOException}) is answered with 503 ServiceUnavailable and its message.
 */
public interface AdminSources {
    /** This node's identity and vital signs. */
    NodeStatus nodeStatus();

    /**
     * Every node of the cluster with its S3 and admin ports, so a client that knows one node finds the rest. A
     * node alone (no cluster) lists itself, which is what this default does.
     */
    default ClusterMembers members() {
        NodeStatus self = nodeStatus();
        return new ClusterMembers(List.of(new ClusterMember(self.id(), self.host(), self.ports().s3(),
                self.ports().admin())));
    }

    /** The metadata Raft group as this node sees it. */
    /**
     * Adds {@code member} to the cluster as joining ({@code POST /admin/v1/members}); a single node has no members
     * to add and refuses.
     */
    default ClusterMembers addMember(ClusterMember member) throws IOException {
        throw new AdminRefusal(io.predastore.protocol.admin.AdminErrorCode.MEMBERSHIP_REFUSED, "A single node "
                + "(no cluster file) has no members to add; create a cluster with predastore-node cluster init.");
    }

    /** Starts removing member {@code id} ({@code POST /admin/v1/members/{id}/drain}); a single node refuses. */
    default ClusterMembers drainMember(String id) throws IOException {
        throw new AdminRefusal(io.predastore.protocol.admin.AdminErrorCode.MEMBERSHIP_REFUSED, "A single node "
                + "(no cluster file) has no members to remove.");
    }

    RaftGroupStatus raft();

    /** The placement ring. */
    RingView ring();

    /**
     * Where the shards of {@code bucket}/{@code key} live and their state, or empty if there is no such object.
     *
     * @throws IOException if the metadata cannot be read
     */
    Optional<ObjectPlacement> placement(String bucket, String key) throws IOException;

    /** Every node's reachability. */
    ClusterHealth health();

    /**
     * How well the cluster's objects are protected: the last protection pass's report (any node serves it from its
     * replica of the metadata), with each node's scrub progress as last reported and, on the metadata leader, the
     * live repair queue. Before the first pass, a report with {@code computedAtMillis} -1; this default (a node
     * without a cluster) always answers that.
     *
     * @throws IOException if the metadata cannot be read
     */
    default ProtectionReport protection() throws IOException {
        return ProtectionReport.none(1, 0);
    }

    /** The S3 request counters, usually {@link RequestCounters#snapshot()}. */
    Counters counters();

    /**
     * The node's meters in the Prometheus text format, version 0.0.4 (what {@code GET /metrics} answers), usually
     * scraped from the node's {@code PrometheusMeterRegistry}.
     */
    String prometheusText();

    /** The metadata store served by the {@code /v1/*} metadata routes. */
    MetadataStore metadata();

    /** The metadata records this node found it cannot decode; by default, none. */
    default UndecodableRecords undecodableRecords() {
        return new UndecodableRecords(Clock.systemUTC());
    }

    /**
     * Why a stored metadata record cannot be decoded, or empty when it decodes, judged by the codecs of the backend
     * that wrote it (the admin API knows no backend, so the runtime that chose one answers).
     *
     * @throws IllegalArgumentException for a table whose records cannot be checked
     */
    Optional<String> recordProblem(MetaTable table, byte[] key, byte[] value);
}
