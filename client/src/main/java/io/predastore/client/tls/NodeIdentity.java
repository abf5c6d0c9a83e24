package io.predastore.client.tls;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The node a certificate belongs to, written in the certificate as a URI subject alternative name
 * {@code predastore://<cluster>/node/<id>} (the cluster name percent-encoded where it is not a URI "unreserved"
 * character). A host name says where a node is; this says which node it is, so a certificate issued for node 3
 * cannot be taken for node 2 even on node 2's address. Immutable.
 *
 * @param cluster the cluster's name, as in the cluster file
 * @param nodeId  the node's id, at least 1
 */
public record NodeIdentity(String cluster, int nodeId) {
    /** The URI scheme of node identities. */
    public static final String SCHEME = "predastore";
    private static final String PREFIX = SCHEME + "://";
    private static final String NODE_PATH = "/node/";
    /** SAN type of a uniformResourceIdentifier (RFC 5280). */
    private static final int URI_SAN = 6;
    private static final String HEX = "0123456789ABCDEF";

    public NodeIdentity {
        Objects.requireNonNull(cluster, "cluster");
        if (cluster.isBlank()) {
            throw new IllegalArgumentException("the cluster name of a node identity must not be blank");
        }
        if (nodeId < 1) {
            throw new IllegalArgumentException("a node id is at least 1, not " + nodeId);
        }
    }

    /** {@code predastore://<cluster>/node/<id>}. */
    public String uri() {
        return PREFIX + encode(cluster) + NODE_PATH + nodeId;
    }

    @Override
    public String toString() {
        return "node " + nodeId + " of cluster " + cluster;
    }

    /** Reads a node identity URI; empty if {@code uri} is not one (wrong scheme, malformed, bad id). */
    public static Optional<NodeIdentity> parse(String uri) {
        if (uri == null || !uri.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = uri.substring(PREFIX.length());
        int path = rest.indexOf('/');
        if (path <= 0 || !rest.startsWith(NODE_PATH, path)) {
            return Optional.empty();
        }
        String id = rest.substring(path + NODE_PATH.length());
        // Digits only and few of them: no sign, no leading zero, nothing Integer.parseInt would accept loosely.
        if (!id.matches("[1-9][0-9]{0,8}")) {
            return Optional.empty();
        }
        return decode(rest.substring(0, path)).map(name -> new NodeIdentity(name, Integer.parseInt(id)));
    }

    /**
     * The identity named by {@code certificate}'s URI SANs; empty when it names none.
     *
     * @throws CertificateParsingException if its SANs cannot be read or it names more than one node, which no
     *     certificate of ours does and which would make it ambiguous
     */
    public static Optional<NodeIdentity> of(X509Certificate certificate) throws CertificateParsingException {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names == null) {
            return Optional.empty();
        }
        List<NodeIdentity> found = new ArrayList<>();
        for (List<?> name : names) {
            if (name.size() >= 2 && name.get(0) instanceof Integer type && type == URI_SAN
                    && name.get(1) instanceof String value && value.startsWith(PREFIX)) {
                found.add(parse(value).orElseThrow(() -> new CertificateParsingException(
                        "malformed node identity " + value + " (expected " + PREFIX + "<cluster>/node/<id>)")));
            }
        }
        if (found.size() > 1) {
            throw new CertificateParsingException("the certificate names " + found.size() + " nodes " + found
                    + "; a node certificate names exactly one");
        }
        return found.stream().findFirst();
    }

    private static String encode(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
            }
        }
        return sb.toString();
    }

    private static Optional<String> decode(String text) {
        byte[] out = new byte[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c > 0x20 && c < 0x7f && c != '/') {
                out[n++] = (byte) c;
            } else {
                return Optional.empty();
            }
        }
        String decoded = new String(out, 0, n, StandardCharsets.UTF_8);
        return decoded.isBlank() ? Optional.empty() : Optional.of(decoded);
    }
}
