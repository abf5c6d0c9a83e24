package io.predastore.client.tls;

import io.predastore.protocol.http.ClientFaultLog;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which TLS peers are nodes of this cluster, and which node. A certificate passes only if the cluster CA
 * signed it (PKIX path validation by the JDK against that single anchor, including key usage and expiry) and it
 * names a node of the cluster ({@link NodeIdentity}, a URI SAN). Then:
 * <ul>
 *   <li>as a <b>server</b> (a peer connects to us, presenting a client certificate): the peer must be a member;
 *   <li>as a <b>client</b> (we connect to a peer): the server must be the very node we meant to reach, either a
 *       fixed node ({@link #expectingNode}) or the node whose {@code host:port} in the cluster file we dialed, read
 *       from the TLS engine or socket (how the Raft client, which dials every peer with one TLS configuration,
 *       is checked). So a stolen certificate of node 3 cannot answer for node 2.
 * </ul>
 * A refused certificate fails the handshake with a {@link CertificateException} saying why, and the refusal is
 * logged as one rate-bounded line, so an operator sees in the node's log which address presented what.
 *
 * <p>The QUIC stack reports the key type ("EC") as the TLS auth type, which the JDK's TLS 1.2 end-entity rules
 * reject; under TLS 1.3 the auth type means nothing, so certificates are validated as TLS 1.3 does ("UNKNOWN").
 * Host names are not checked against node-to-node certificates: the identity is. Immutable and thread-safe.
 */
public final class ClusterTrust extends X509ExtendedTrustManager {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTrust.class);
    private static final String TLS13_AUTH_TYPE = "UNKNOWN";

    /** Which node a server we connect to must be. */
    private sealed interface Expected {
    }

    /** The node whose cluster-file address we dialed. */
    private record AtDialedAddress() implements Expected {
    }

    /** Exactly this node. */
    private record Node(int id) implements Expected {
    }

    /** Any node certificate naming the host we dialed (finding a cluster whose members we do not know yet). */
    private record AnyNodeOfHost() implements Expected {
    }

    private final X509TrustManager pkix;
    private final Path caFile;
    /** Gives the members at the moment of each check (a running node's member list changes), or null. */
    private final java.util.function.Supplier<Membership> members;
    private final Expected expected;
    /** Shared by the copies {@link #expectingNode} makes, so one node's refusals share one budget of lines. */
    private final ClientFaultLog refusals;

    private ClusterTrust(X509TrustManager pkix, Path caFile, java.util.function.Supplier<Membership> members,
            Expected expected,
            ClientFaultLog refusals) {
        this.pkix = pkix;
        this.caFile = caFile;
        this.members = members;
        this.expected = expected;
        this.refusals = refusals;
    }

    /**
     * Trust in the CA of {@code caPem} for the nodes of {@code members}; a server must be the node at the address
     * dialed.
     *
     * @throws IOException if the CA file cannot be read or holds no certificate
     */
    public static ClusterTrust load(Path caPem, Membership members) throws IOException {
        Objects.requireNonNull(members, "members");
        return load(caPem, () -> members);
    }

    /**
     * As {@link #load(Path, Membership)}, for members that change while the trust is in use (a node following the
     * cluster's replicated member list): every check asks {@code members} for the current ones.
     */
    public static ClusterTrust load(Path caPem, java.util.function.Supplier<Membership> members) throws IOException {
        return new ClusterTrust(pkix(caPem), caPem, Objects.requireNonNull(members, "members"),
                new AtDialedAddress(), ClientFaultLog.of(LOG));
    }

    /**
     * Trust for a client that does not know the cluster yet (the desktop app connecting by one node's address):
     * a server passes with any node certificate the CA signed that names, in a DNS or IP SAN, the host dialed.
     * Once the members are known, use {@link #load} and {@link #expectingNode}. Refuses every client certificate.
     */
    public static ClusterTrust forDiscovery(Path caPem) throws IOException {
        return new ClusterTrust(pkix(caPem), caPem, null, new AnyNodeOfHost(), ClientFaultLog.of(LOG));
    }

    /** The same trust, for a client that connects to node {@code nodeId} only. */
    public ClusterTrust expectingNode(int nodeId) {
        Membership current = members == null ? null : members.get();
        if (current != null && !current.nodeIds().contains(nodeId)) {
            throw new IllegalArgumentException("node " + nodeId + " is not a node of cluster " + current.cluster()
                    + "; its nodes are " + current.nodeIds());
        }
        return new ClusterTrust(pkix, caFile, members, new Node(nodeId), refusals);
    }

    /** The CA certificate file this trust was loaded from. */
    public Path caFile() {
        return caFile;
    }

    /** A JDK TLS context for clients (HTTPS) that trusts servers as this does and presents no certificate. */
    public SSLContext clientContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {this}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS context: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager pkix(Path caPem) throws IOException {
        List<X509Certificate> anchors = PemCertificates.read(caPem);
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                ks.setCertificateEntry("cluster-ca-" + i, anchors.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IOException("the JDK offers no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the cluster CA " + caPem + ": " + e.getMessage(), e);
        }
    }

    // ---- a peer connects to us ----

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkClient(chain, null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClient(chain, socket == null ? null : socket.getRemoteSocketAddress());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClient(chain, engine == null ? null : address(engine.getPeerHost(), engine.getPeerPort()));
    }

    private void checkClient(X509Certificate[] chain, Object peer) throws CertificateException {
        NodeIdentity identity = signedNode(chain, true, peer);
        if (members == null) {
            throw refuse(peer, "a trust made for finding a cluster accepts no clients (" + identity + ")");
        }
        Membership current = members.get();
        if (!current.contains(identity)) {
            throw refuse(peer, "the client certificate names " + identity + ", not a node of this cluster ("
                    + current.cluster() + ", nodes " + current.nodeIds() + ")");
        }
    }

    // ---- we connect to a peer ----

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkServer(chain, null, -1);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        String host = null;
        int port = -1;
        if (socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null) {
            SSLSession session = ssl.getHandshakeSession();
            host = session.getPeerHost();
            port = session.getPeerPort();
        }
        checkServer(chain, host, port);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServer(chain, engine == null ? null : engine.getPeerHost(), engine == null ? -1 : engine.getPeerPort());
    }

    private void checkServer(X509Certificate[] chain, String host, int port) throws CertificateException {
        Object peer = host == null && expected instanceof Node node ? "the server meant to be node " + node.id()
                : address(host, port);
        NodeIdentity identity = signedNode(chain, false, peer);
        Membership current = members == null ? null : members.get();
        if (current != null && !current.contains(identity)) {
            throw refuse(peer, "the server certificate names " + identity + ", not a node of this cluster ("
                    + current.cluster() + ", nodes " + current.nodeIds() + ")");
        }
        if (expected instanceof Node node) {
            if (identity.nodeId() != node.id()) {
                throw refuse(peer, "expected node " + node.id() + ", but the certificate names node "
                        + identity.nodeId() + " (a node's certificate is valid for that node only)");
            }
        } else if (expected instanceof AtDialedAddress) {
            Optional<Integer> node = current.nodeAt(host, port);
            if (node.isEmpty()) {
                throw refuse(peer, "cannot tell which node should answer here: no node has this address in the "
                        + "cluster file");
            }
            if (identity.nodeId() != node.get()) {
                throw refuse(peer, "this is node " + node.get() + "'s address, but the certificate names node "
                        + identity.nodeId() + " (a node's certificate is valid for that node only)");
            }
        } else if (host == null || !namesHost(chain[0], host)) {
            throw refuse(peer, "the certificate of " + identity + " does not name the host "
                    + (host == null ? "(unknown)" : host) + " in a DNS or IP SAN");
        }
    }

    /** PKIX validation against the cluster CA, then the node the certificate names. */
    private NodeIdentity signedNode(X509Certificate[] chain, boolean client, Object peer)
            throws CertificateException {
        String role = client ? "client" : "server";
        if (chain == null || chain.length == 0) {
            throw refuse(peer, "no " + role + " certificate");
        }
        // The identity is read only from a certificate the CA vouches for.
        try {
            if (client) {
                pkix.checkClientTrusted(chain, TLS13_AUTH_TYPE);
            } else {
                pkix.checkServerTrusted(chain, TLS13_AUTH_TYPE);
            }
        } catch (CertificateException e) {
            throw refuse(peer, "the " + role + " certificate (" + chain[0].getSubjectX500Principal().getName()
                    + ") does not validate against the cluster CA: " + e.getMessage(), e);
        }
        Optional<NodeIdentity> identity;
        try {
            identity = NodeIdentity.of(chain[0]);
        } catch (java.security.cert.CertificateParsingException e) {
            throw refuse(peer, "the " + role + " certificate: " + e.getMessage(), e);
        }
        if (identity.isEmpty()) {
            throw refuse(peer, "the " + role + " certificate (" + chain[0].getSubjectX500Principal().getName()
                    + ") names no node (no URI SAN " + NodeIdentity.SCHEME + "://<cluster>/node/<id>)");
        }
        return identity.get();
    }

    private static boolean namesHost(X509Certificate certificate, String host) throws CertificateException {
        String wanted = Membership.endpointKey(host, 1);
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names == null) {
            return false;
        }
        for (List<?> name : names) {
            // 2: dNSName, 7: iPAddress (RFC 5280); the JDK gives both as text.
            if (name.size() >= 2 && name.get(0) instanceof Integer type && (type == 2 || type == 7)
                    && name.get(1) instanceof String value
                    && Membership.endpointKey(value.toLowerCase(Locale.ROOT), 1).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static Object address(String host, int port) {
        return host == null ? null : port > 0 ? host + ":" + port : host;
    }

    private CertificateException refuse(Object peer, String reason) {
        return refuse(peer, reason, null);
    }

    private CertificateException refuse(Object peer, String reason, Throwable cause) {
        refusals.warn("TLS peer refused", peer, reason);
        return new CertificateException(reason, cause);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
