package io.predastore.node.meta;

import io.predastore.node.pki.ClusterSecret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;

/**
 * How to run this node's metadata peer.
 *
 * @param clusterName names the Raft group; every peer of a cluster must use the same name
 * @param selfId      this node's id, one of {@code peers}
 * @param peers       all metadata peers (normally 3 or 5), this node included
 * @param dir         where this peer keeps its Raft log and snapshots ({@code raft/}) and database ({@code db/})
 * @param tls         mutual TLS between peers, or null for plaintext (trusted networks only)
 * @param secret      the cluster secret that seals this node's requests and opens its peers' ({@link RequestSeal})
 * @param timeouts    request and election timeouts
 * @param log         snapshot and log segment sizing
 * @param joining     whether this node is being added to a running group ({@code cluster add-node}): on its first
 *                    start it waits outside the group until the leader adds it, rather than start a new group with
 *                    {@code peers}
 */
public record MetadataOptions(String clusterName, String selfId, List<MetaPeerConfig> peers, Path dir, PeerTls tls,
        ClusterSecret secret, Timeouts timeouts, LogOptions log, boolean joining) {
    public MetadataOptions {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(selfId, "selfId");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(log, "log");
        peers = List.copyOf(peers);
        if (peers.stream().noneMatch(p -> p.id().equals(selfId))) {
            throw new IllegalArgumentException("self id " + selfId + " is not among the metadata peers " + peers);
        }
        if (peers.stream().map(MetaPeerConfig::id).distinct().count() != peers.size()) {
            throw new IllegalArgumentException("duplicate metadata peer ids in " + peers);
        }
    }

    /** Options of a node that is one of the group's first members. */
    public MetadataOptions(String clusterName, String selfId, List<MetaPeerConfig> peers, Path dir, PeerTls tls,
            ClusterSecret secret, Timeouts timeouts, LogOptions log) {
        this(clusterName, selfId, peers, dir, tls, secret, timeouts, log, false);
    }

    /** Options with default log sizing. */
    public MetadataOptions(String clusterName, String selfId, List<MetaPeerConfig> peers, Path dir, PeerTls tls,
            ClusterSecret secret, Timeouts timeouts) {
        this(clusterName, selfId, peers, dir, tls, secret, timeouts, LogOptions.DEFAULTS);
    }

    /** This node's entry in {@link #peers()}. */
    public MetaPeerConfig self() {
        return peers.stream().filter(p -> p.id().equals(selfId)).findFirst().orElseThrow();
    }

    /**
     * Mutual TLS between peers (the Raft RPCs, over gRPC): this peer's certificate and key, and the trust that
     * decides whom it talks to. Ratis dials every peer with one TLS configuration, so the trust must tell peers
     * apart by the address dialed (as {@code client.tls.ClusterTrust} does) for a peer to be sure which node answers.
     *
     * <p>Each call on the Raft port is also checked against the certificate that carries it: a peer-to-peer message
     * must claim to come from the peer that certificate names ({@code peerIdOfNode}).
     *
     * @param keyManager   presents this node's certificate chain, as server and as client
     * @param trustManager checks peers' certificates, connecting and connected to
     * @param peerIdOfNode the Raft peer id of a node id (as a certificate names it:
     *                     {@link io.predastore.client.tls.NodeIdentity})
     */
    public record PeerTls(X509KeyManager keyManager, X509ExtendedTrustManager trustManager,
            IntFunction<String> peerIdOfNode) {
        public PeerTls {
            Objects.requireNonNull(keyManager, "keyManager");
            Objects.requireNonNull(trustManager, "trustManager");
            Objects.requireNonNull(peerIdOfNode, "peerIdOfNode");
        }

        /** Peer TLS where node N is peer {@link MetaPeerConfig#peerIdOf(int) node-N}, as on every node. */
        public PeerTls(X509KeyManager keyManager, X509ExtendedTrustManager trustManager) {
            this(keyManager, trustManager, MetaPeerConfig::peerIdOf);
        }
    }

    /**
     * A cluster node takes these from {@code raft_request_timeout_ms}, {@code raft_election_min_ms} and
     * {@code raft_election_max_ms} of the cluster file's {@code [tuning]}, whose defaults (10 s requests, 1-2 s
     * elections) suit a LAN and whose ranges keep them to values Ratis accepts.
     *
     * @param request     how long {@link MetadataStore} calls wait before failing with an IOException
     * @param electionMin lower bound of the randomised Raft election timeout
     * @param electionMax upper bound of the randomised Raft election timeout
     */
    public record Timeouts(Duration request, Duration electionMin, Duration electionMax) {
        /** @throws IllegalArgumentException if {@code electionMin} is not below {@code electionMax} */
        public Timeouts {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(electionMin, "electionMin");
            Objects.requireNonNull(electionMax, "electionMax");
            if (electionMin.compareTo(electionMax) >= 0) {
                throw new IllegalArgumentException("election timeout min must be below max");
            }
        }
    }

    /**
     * @param snapshotEveryEntries take a snapshot (and allow purging the log up to it) after this many entries
     * @param segmentSizeBytes     Raft log segment size; only whole closed segments are purged
     */
    public record LogOptions(long snapshotEveryEntries, long segmentSizeBytes) {
        public static final LogOptions DEFAULTS = new LogOptions(10_000, 8L << 20);

        public LogOptions {
            if (snapshotEveryEntries < 1 || segmentSizeBytes < 1024) {
                throw new IllegalArgumentException("bad log options");
            }
        }
    }
}
