package io.predastore.node.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.pki.ClusterSecret;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestSealTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final ClusterSecret SECRET = ClusterSecret.of(bytes(1));
    private static final Set<String> PEERS = Set.of("node-1", "node-2", "node-3");
    private static final byte[] PAYLOAD = "batch".getBytes(StandardCharsets.UTF_8);

    private static byte[] bytes(int fill) {
        byte[] b = new byte[ClusterSecret.LENGTH];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    private static RequestSeal seal(ClusterSecret secret, String self, Instant now) {
        return new RequestSeal(secret, self, PEERS, Clock.fixed(now, ZoneOffset.UTC), new SecureRandom());
    }

    @Test
    void open_sealedByAPeerWithTheSecret_givesThePayloadBack() throws Exception {
        byte[] sealed = seal(SECRET, "node-2", NOW).seal(RequestSeal.Kind.WRITE, PAYLOAD);
        assertThat(seal(SECRET, "node-1", NOW).open(RequestSeal.Kind.WRITE, sealed)).isEqualTo(PAYLOAD);
    }

    @Test
    void seal_twice_differsByItsNonce() {
        RequestSeal s = seal(SECRET, "node-1", NOW);
        assertThat(s.seal(RequestSeal.Kind.QUERY, PAYLOAD)).isNotEqualTo(s.seal(RequestSeal.Kind.QUERY, PAYLOAD));
    }

    @Test
    void open_unsealedPayload_isRefused() {
        assertThatThrownBy(() -> seal(SECRET, "node-1", NOW).open(RequestSeal.Kind.WRITE, PAYLOAD))
                .isInstanceOf(RequestSeal.RefusedException.class).hasMessageContaining("not sealed");
        assertThatThrownBy(() -> seal(SECRET, "node-1", NOW).open(RequestSeal.Kind.WRITE, new byte[0]))
                .isInstanceOf(RequestSeal.RefusedException.class);
    }

    @Test
    void open_sealedWithAnotherSecret_isRefused() {
        byte[] sealed = seal(ClusterSecret.of(bytes(2)), "node-2", NOW).seal(RequestSeal.Kind.WRITE, PAYLOAD);
        assertThatThrownBy(() -> seal(SECRET, "node-1", NOW).open(RequestSeal.Kind.WRITE, sealed))
                .isInstanceOf(RequestSeal.RefusedException.class)
                .hasMessage("the request's seal does not match the cluster secret");
    }

    @Test
    void open_anyByteChanged_isRefused() {
        byte[] sealed = seal(SECRET, "node-2", NOW).seal(RequestSeal.Kind.WRITE, PAYLOAD);
        for (int i = 1; i < sealed.length; i++) {
            byte[] changed = sealed.clone();
            changed[i] ^= 0x01;
            int at = i;
            assertThatThrownBy(() -> seal(SECRET, "node-1", NOW).open(RequestSeal.Kind.WRITE, changed))
                    .as("byte %d changed", at).isInstanceOf(RequestSeal.RefusedException.class);
        }
    }

    @Test
    void open_asTheOtherKind_isRefused() {
        byte[] query = seal(SECRET, "node-2", NOW).seal(RequestSeal.Kind.QUERY, PAYLOAD);
        assertThatThrownBy(() -> seal(SECRET, "node-1", NOW).open(RequestSeal.Kind.WRITE, query))
                .isInstanceOf(RequestSeal.RefusedException.class).hasMessageContaining("another kind than write");
    }

    @Test
    void open_fromSomeoneNotAPeer_isRefusedEvenWithTheSecret() {
        byte[] sealed = seal(SECRET, "node-9", NOW).seal(RequestSeal.Kind.WRITE, PAYLOAD);
        assertThatThrownBy(() -> seal(SECRET, "node-1", NOW).open(RequestSeal.Kind.WRITE, sealed))
                .isInstanceOf(RequestSeal.RefusedException.class).hasMessageContaining("node-9, not a peer");
    }

    @Test
    void open_fromANodeAddedLater_isAdmittedOnceThePeerSetHasIt() throws Exception {
        PeerSet peers = new PeerSet(PEERS);
        RequestSeal receiver = new RequestSeal(SECRET, "node-1", peers, Clock.fixed(NOW, ZoneOffset.UTC),
                new SecureRandom());
        byte[] sealed = seal(SECRET, "node-9", NOW).seal(RequestSeal.Kind.WRITE, PAYLOAD);
        assertThatThrownBy(() -> receiver.open(RequestSeal.Kind.WRITE, sealed))
                .isInstanceOf(RequestSeal.RefusedException.class);
        java.util.Set<String> wider = new java.util.HashSet<>(PEERS);
        wider.add("node-9");
        peers.replace(wider);
        assertThat(receiver.open(RequestSeal.Kind.WRITE, sealed)).isEqualTo(PAYLOAD);
    }

    @Test
    void openLogged_dependsOnTheEntryAndTheSecretOnly_notOnWhichPeersThisNodeKnows() throws Exception {
        // Peers learn of a new member at different moments; an entry in the log must apply alike on all of them.
        byte[] sealed = seal(SECRET, "node-9", NOW).seal(RequestSeal.Kind.WRITE, PAYLOAD);
        assertThat(seal(SECRET, "node-1", NOW).openLogged(sealed)).isEqualTo(PAYLOAD);
        byte[] forged = seal(ClusterSecret.generate(new SecureRandom()), "node-2", NOW).seal(RequestSeal.Kind.WRITE, PAYLOAD);
        assertThatThrownBy(() -> seal(SECRET, "node-1", NOW).openLogged(forged))
                .isInstanceOf(RequestSeal.RefusedException.class);
    }

    @Test
    void open_sealedTooLongAgoOrAhead_isRefusedNamingTheClocks() throws Exception {
        Duration skew = RequestSeal.MAX_SKEW;
        byte[] old = seal(SECRET, "node-2", NOW.minus(skew).minusSeconds(1)).seal(RequestSeal.Kind.WRITE, PAYLOAD);
        byte[] ahead = seal(SECRET, "node-2", NOW.plus(skew).plusSeconds(1)).seal(RequestSeal.Kind.WRITE, PAYLOAD);
        byte[] edge = seal(SECRET, "node-2", NOW.minus(skew)).seal(RequestSeal.Kind.WRITE, PAYLOAD);
        RequestSeal receiver = seal(SECRET, "node-1", NOW);
        assertThatThrownBy(() -> receiver.open(RequestSeal.Kind.WRITE, old))
                .isInstanceOf(RequestSeal.RefusedException.class).hasMessageContaining("clocks in sync");
        assertThatThrownBy(() -> receiver.open(RequestSeal.Kind.WRITE, ahead))
                .isInstanceOf(RequestSeal.RefusedException.class);
        assertThat(receiver.open(RequestSeal.Kind.WRITE, edge)).isEqualTo(PAYLOAD);
    }

    @Test
    void sealedRequest_version1_hasItsDocumentedLayout() {
        byte[] sealed = new RequestSeal(SECRET, "n1", Set.of("n1"), Clock.fixed(Instant.ofEpochMilli(0x0102030405L),
                ZoneOffset.UTC), new SecureRandom()).seal(RequestSeal.Kind.QUERY, PAYLOAD);
        assertThat(Arrays.copyOfRange(sealed, 0, 14)).containsExactly(1, 2, 0, 2, 'n', '1', 0, 0, 0, 0x01, 0x02,
                0x03, 0x04, 0x05);
        assertThat(sealed).hasSize(4 + 2 + 8 + RequestSeal.NONCE_BYTES + RequestSeal.MAC_BYTES + PAYLOAD.length);
        assertThat(Arrays.copyOfRange(sealed, sealed.length - PAYLOAD.length, sealed.length)).isEqualTo(PAYLOAD);
    }
}
