package io.predastore.bench.transport;

import io.predastore.client.tls.ClusterTrust;
import io.predastore.client.tls.Membership;
import io.predastore.client.tls.NodeIdentity;
import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardInfo;
import io.predastore.node.shard.ShardStore;
import io.predastore.node.shard.ShardWriter;
import io.predastore.node.supervisor.DevCertificates;
import io.predastore.node.transport.QuicTransport;
import io.predastore.node.transport.ShardClient;
import io.predastore.node.transport.ShardServer;
import io.predastore.node.transport.ShardTransport;
import io.predastore.node.transport.TlsMaterial;
import io.predastore.node.transport.TlsTcpTransport;
import io.predastore.node.transport.TransportOptions;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Streams shards client to server over one connection on loopback and prints MB/s and CPU per MB (process CPU time
 * of both ends, which share this JVM, divided by the bytes moved). The server's store discards the bytes.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.predastore.bench.transport.TransportThroughput tls-tcp|quic [MiB]
 * </pre>
 */
public final class TransportThroughput {
    private static final int CHUNK = 1 << 20;
    private static final long SHARD = 16L << 20;

    private TransportThroughput() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "tls-tcp";
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 256;
        Path dir = Files.createTempDirectory("transport-bench");
        TlsMaterial[] tls = pki(dir);
        TransportOptions options = TransportOptions.defaults().withConnectionsPerPeer(1);
        try (ShardTransport transport = ShardTransport.named(kind, options);
                ShardServer server = transport.server(new DiscardingStore(), InetAddress.getLoopbackAddress(), 0,
                        tls[0]);
                ShardClient client = transport.client(server.localAddress(), 1, tls[1])) {
            String detail = transport instanceof TlsTcpTransport t ? "provider " + t.sslProvider()
                    : transport instanceof QuicTransport q ? "epoll/GSO/GRO " + q.nativeTransport()
                            + ", datagram 65527" : "";
            long first = client.ping().toNanos() / 1000; // includes connecting and the TLS handshake
            System.out.printf("%s (%s), first ping %d us, ping %d us%n", kind, detail, first,
                    client.ping().toNanos() / 1000);
            send(client, 64L << 20, "warm-"); // warm-up: JIT, connection, congestion window
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long bytes = send(client, mib << 20, "run-");
            long wall = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            double mb = bytes / 1e6;
            System.out.printf("%s: %d MiB in %.2f s = %.1f MB/s; CPU %.2f s = %.2f ms per MB (both ends)%n", kind,
                    bytes >> 20, wall / 1e9, mb / (wall / 1e9), cpu / 1e9, cpu / 1e6 / mb);
        }
    }

    private static long send(ShardClient client, long total, String prefix) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        byte[] random = new byte[CHUNK];
        ThreadLocalRandom.current().nextBytes(random);
        chunk.put(random).flip();
        long sent = 0;
        for (int shard = 0; sent < total; shard++) {
            try (ShardWriter w = client.create(new ShardId(prefix + shard, 0))) {
                for (long at = 0; at < SHARD && sent < total; at += CHUNK) {
                    w.write(chunk.duplicate());
                    sent += CHUNK;
                }
                w.commit();
            }
        }
        return sent;
    }

    /** Counts and drops what it receives. */
    private static final class DiscardingStore implements ShardStore {
        @Override
        public ShardWriter create(ShardId id) {
            return new ShardWriter() {
                private long length;

                @Override
                public void write(ByteBuffer bytes) {
                    length += bytes.remaining();
                    bytes.position(bytes.limit());
                }

                @Override
                public ShardInfo commit() {
                    return new ShardInfo(id, length, 0);
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public InputStream open(ShardId id, long offset, long length) {
            return InputStream.nullInputStream();
        }

        @Override
        public Optional<ShardInfo> stat(ShardId id) {
            return Optional.empty();
        }

        @Override
        public boolean delete(ShardId id) {
            return false;
        }

        @Override
        public void close() {
        }
    }

    /** A throw-away CA and the certificates of nodes 1 and 2 of a cluster "bench": [server, client]. */
    private static TlsMaterial[] pki(Path dir) throws Exception {
        Instant now = Instant.now();
        DevCertificates.Issued ca = DevCertificates.newCa("bench CA", now);
        Path caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, DevCertificates.certificatePem(ca.certificate()));
        ClusterTrust trust = ClusterTrust.load(caFile, new Membership("bench", Set.of(1, 2), Map.of()));
        TlsMaterial[] out = new TlsMaterial[2];
        for (int i = 0; i < 2; i++) {
            DevCertificates.Issued node = DevCertificates.newNodeCertificate(ca, new NodeIdentity("bench", i + 1),
                    "127.0.0.1", now);
            Path cert = dir.resolve("node-" + (i + 1) + ".pem");
            Path key = dir.resolve("node-" + (i + 1) + ".key");
            Files.writeString(cert, DevCertificates.certificatePem(node.certificate()));
            Files.writeString(key, DevCertificates.privateKeyPem(node.privateKey()));
            out[i] = new TlsMaterial(trust, cert, key);
        }
        return out;
    }
}
