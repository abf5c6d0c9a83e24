package io.predastore.node.meta;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run this node's metadata peer.
 *
 * @param clusterName names the Raft group; every peer of a cluster must use the same name
 * @param selfId      this node's id, one of {@code peers}
 * @param peers       all metadata peers (normally 3 or 5), this node included
 * @param dir         where this peer keeps its Raft log and snapshots ({@code raft/}) and database ({@code db/})
 * @param tls         certificates for mutual TLS between peers, or null for plaintext (trusted networks only)
 * @param timeouts    request and election timeouts
 * @param log         snapshot and log segment sizing
 */
public record MetadataOptions(String clusterName, String selfId, List<MetaPeerConfig> peers, Path dir, TlsFiles tls,
        Timeouts timeouts, LogOptions log) {
    public MetadataOptions {
        Objects.requireNonNull(clusterName, "clusterName");
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

    /** Options with default log sizing. */
    public MetadataOptions(String clusterName, String selfId, List<MetaPeerConfig> peers, Path dir, TlsFiles tls,
            Timeouts timeouts) {
        this(clusterName, selfId, peers, dir, tls, timeouts, LogOptions.DEFAULTS);
    }

    /** This node's entry in {@link #peers()}. */
    public MetaPeerConfig self() {
        return peers.stream().filter(p -> p.id().equals(selfId)).findFirst().orElseThrow();
    }

    /**
     * PEM files for mutual TLS: this node's certificate chain, its private key (PKCS#8, unencrypted) and the cluster
     * CA certificate(s) that every peer's certificate must chain to. Certificates must name the peer's host (SAN).
     */
    public record TlsFiles(Path certChain, Path privateKey, Path trustedCa) {
        public TlsFiles {
            Objects.requireNonNull(certChain, "certChain");
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(trustedCa, "trustedCa");
        }

        /** Files named {@code node.crt}, {@code node.key} and {@code ca.crt} in {@code dir}. */
        public static TlsFiles inDirectory(Path dir) {
            return new TlsFiles(dir.resolve("node.crt"), dir.resolve("node.key"), dir.resolve("ca.crt"));
        }
    }

    /**
     * @param request     how long {@link MetadataStore} calls wait before failing with an IOException
     * @param electionMin lower bound of the randomised Raft election timeout
     * @param electionMax upper bound of the randomised Raft election timeout
     */
    public record Timeouts(Duration request, Duration electionMin, Duration electionMax) {
        /** 10 s requests, 1-2 s elections: suits a LAN. */
        public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofSeconds(2));

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
