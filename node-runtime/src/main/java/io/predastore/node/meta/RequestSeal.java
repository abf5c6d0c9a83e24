package io.predastore.node.meta;

import io.predastore.node.pki.ClusterSecret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the metadata requests this node's Raft client sends (writes and queries) with the cluster secret, and opens
 * sealed requests arriving at the state machine. A TLS certificate lets its holder reach the Raft port; only the
 * secret, which node software reads from the node's data directory, makes a request one the state machine carries
 * out.
 *
 * <p>Sealed request, version 1 (big-endian):
 * <pre>
 *   u8 version (1) | u8 kind (1 write, 2 query) | u16 n | n bytes sender peer id (UTF-8)
 *   | i64 sent at (epoch milliseconds) | 12 bytes nonce | 32 bytes HMAC-SHA256 | payload
 * </pre>
 * The HMAC covers every byte before it and the payload. A request sent longer ago (or later) than
 * {@link #MAX_SKEW} is refused, which bounds the replay of a request copied from the wire and catches peers whose
 * clocks disagree. Thread-safe.
 */
final class RequestSeal {
    static final byte VERSION = 1;
    /** How far a request's time may be from the receiver's clock. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    static final int NONCE_BYTES = 12;
    static final int MAC_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    /** What a sealed request asks for; a request sealed as one is refused as the other. */
    enum Kind {
        WRITE(1), QUERY(2);

        final byte code;

        Kind(int code) {
            this.code = (byte) code;
        }
    }

    /** A request that is not sealed with this cluster's secret by one of its peers; the message says why. */
    static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    private final SecretKeySpec key;
    private final String selfId;
    private final PeerSet peers;
    private final Clock clock;
    private final SecureRandom random;
    private final ThreadLocal<Mac> macs;

    /**
     * @param secret the cluster secret
     * @param selfId this node's peer id, written into what it seals
     * @param peers  the peer ids whose requests are accepted
     * @param clock  the time written into and checked against requests
     * @param random the source of nonces
     */
    RequestSeal(ClusterSecret secret, String selfId, Set<String> peers, Clock clock, SecureRandom random) {
        this(secret, selfId, new PeerSet(peers), clock, random);
    }

    /** As above, admitting requests from the peers {@code peers} holds when each arrives. */
    RequestSeal(ClusterSecret secret, String selfId, PeerSet peers, Clock clock, SecureRandom random) {
        this.key = new SecretKeySpec(secret.key(), ALGORITHM);
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no " + ALGORITHM + ": " + e.getMessage(), e);
        }
    }

    /** {@code payload} sealed as a request of {@code kind} from this node. */
    byte[] seal(Kind kind, byte[] payload) {
        byte[] sender = selfId.getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        int headerLength = 4 + sender.length + 8 + NONCE_BYTES;
        ByteBuffer out = ByteBuffer.allocate(headerLength + MAC_BYTES + payload.length);
        out.put(VERSION).put(kind.code).putShort((short) sender.length).put(sender)
                .putLong(clock.millis()).put(nonce);
        byte[] mac = mac(out.array(), headerLength, payload, 0, payload.length);
        out.put(mac).put(payload);
        return out.array();
    }

    /**
     * The payload of a request sealed as {@code kind} by a peer of this cluster.
     *
     * @throws RefusedException if it is not sealed, sealed with another secret, by no peer of ours, as the other
     *     kind, or too far from now
     */
    byte[] open(Kind kind, byte[] sealed) throws RefusedException {
        return open(kind, sealed, true);
    }

    /**
     * The payload of a write sealed with the cluster secret, as found in the Raft log: the same checks as
     * {@link #open} except the time and the sender, which the leader checked when it accepted the write. Every peer
     * applies the entry at its own later time, and knows of new members at its own moment, and the verdict must be
     * the same on all of them: so it depends on the entry and the secret only (the sender's name adds no proof, as
     * anyone holding the secret could write any name).
     *
     * @throws RefusedException if it is not sealed as a write with the cluster secret
     */
    byte[] openLogged(byte[] sealed) throws RefusedException {
        return open(Kind.WRITE, sealed, false);
    }

    /** The peer that sealed {@code sealed}; call only once {@link #open} accepted it. */
    static String senderOf(byte[] sealed) {
        int senderLength = ((sealed[2] & 0xff) << 8) | (sealed[3] & 0xff);
        return new String(sealed, 4, senderLength, StandardCharsets.UTF_8);
    }

    /** @param checkTime whether to check the time and the sender: false for an entry already in the log */
    private byte[] open(Kind kind, byte[] sealed, boolean checkTime) throws RefusedException {
        if (sealed.length < 4 || sealed[0] != VERSION) {
            throw new RefusedException("the request is not sealed with the cluster secret (unknown format)");
        }
        int senderLength = ((sealed[2] & 0xff) << 8) | (sealed[3] & 0xff);
        int headerLength = 4 + senderLength + 8 + NONCE_BYTES;
        if (sealed.length < headerLength + MAC_BYTES) {
            throw new RefusedException("the request is not sealed with the cluster secret (too short)");
        }
        byte[] expected = mac(sealed, headerLength, sealed, headerLength + MAC_BYTES,
                sealed.length - headerLength - MAC_BYTES);
        byte[] given = new byte[MAC_BYTES];
        System.arraycopy(sealed, headerLength, given, 0, MAC_BYTES);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new RefusedException("the request's seal does not match the cluster secret");
        }
        String sender = new String(sealed, 4, senderLength, StandardCharsets.UTF_8);
        if (checkTime && !peers.contains(sender)) {
            throw new RefusedException("the request is sealed by " + sender + ", not a peer of this group");
        }
        if (sealed[1] != kind.code) {
            throw new RefusedException("the request from " + sender + " is sealed as another kind than "
                    + kind.name().toLowerCase(java.util.Locale.ROOT));
        }
        long sentAt = ByteBuffer.wrap(sealed, 4 + senderLength, 8).getLong();
        long skew = checkTime ? Math.abs(clock.millis() - sentAt) : 0;
        if (skew > MAX_SKEW.toMillis()) {
            throw new RefusedException("the request from " + sender + " was sealed " + skew / 1000 + " s away from "
                    + "this node's clock (at most " + MAX_SKEW.toSeconds() + " s); keep the nodes' clocks in "
                    + "sync (NTP)");
        }
        byte[] payload = new byte[sealed.length - headerLength - MAC_BYTES];
        System.arraycopy(sealed, headerLength + MAC_BYTES, payload, 0, payload.length);
        return payload;
    }

    private byte[] mac(byte[] header, int headerLength, byte[] payload, int offset, int length) {
        Mac mac = macs.get();
        mac.update(header, 0, headerLength);
        mac.update(payload, offset, length);
        return mac.doFinal();
    }
}
