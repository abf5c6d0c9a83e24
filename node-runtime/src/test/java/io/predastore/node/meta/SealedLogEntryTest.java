package io.predastore.node.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.pki.ClusterSecret;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a peer applies from the Raft log: entries keep the seal the leader checked, and every peer checks it again,
 * so an entry that a leader made up (say one elected with a stolen node certificate) is skipped by every peer alike.
 */
class SealedLogEntryTest {
    private static final Instant SEALED_AT = Instant.parse("2026-12-06T12:00:00Z");
    private static final Set<String> PEERS = Set.of("node-1", "node-2", "node-3");
    private static final byte[] BATCHES = MetaBatchCodec.encodeEntry(List.of(
            MetaBatch.of(new MetaBatch.Put(MetaTable.BUCKETS, new byte[] {'b'}, new byte[] {'1'}))));

    private static ClusterSecret secret(int fill) {
        byte[] b = new byte[ClusterSecret.LENGTH];
        Arrays.fill(b, (byte) fill);
        return ClusterSecret.of(b);
    }

    private static RequestSeal seal(ClusterSecret secret, String self, Instant now) {
        return new RequestSeal(secret, self, PEERS, Clock.fixed(now, ZoneOffset.UTC), new SecureRandom());
    }

    private static byte[] logged(byte[] sealed) {
        byte[] entry = new byte[sealed.length + 1];
        entry[0] = RocksStateMachine.SEALED_ENTRY;
        System.arraycopy(sealed, 0, entry, 1, sealed.length);
        return entry;
    }

    @Test
    void sealedEntry_isAppliedByEveryPeer_evenLongAfterTheLeaderAcceptedIt() throws Exception {
        byte[] entry = logged(seal(secret(1), "node-2", SEALED_AT).seal(RequestSeal.Kind.WRITE, BATCHES));
        RequestSeal follower = seal(secret(1), "node-3", SEALED_AT.plus(Duration.ofDays(3)));
        assertThat(RocksStateMachine.entryPayload(entry, follower, true)).isEqualTo(BATCHES);
        assertThat(RocksStateMachine.entryPayload(entry, follower, false)).isEqualTo(BATCHES);
    }

    @Test
    void entrySealedWithAnotherSecret_orAsAQuery_orChanged_isRefused() {
        RequestSeal follower = seal(secret(1), "node-3", SEALED_AT);
        byte[] foreign = logged(seal(secret(2), "node-2", SEALED_AT).seal(RequestSeal.Kind.WRITE, BATCHES));
        byte[] query = logged(seal(secret(1), "node-2", SEALED_AT).seal(RequestSeal.Kind.QUERY, BATCHES));
        byte[] changed = logged(seal(secret(1), "node-2", SEALED_AT).seal(RequestSeal.Kind.WRITE, BATCHES));
        changed[changed.length - 1] ^= 1;
        for (byte[] entry : List.of(foreign, query, changed)) {
            assertThatThrownBy(() -> RocksStateMachine.entryPayload(entry, follower, true))
                    .isInstanceOf(RequestSeal.RefusedException.class);
        }
    }

    @Test
    void unsealedEntry_isAppliedOnlyBeforeAnySealedOne() throws Exception {
        RequestSeal follower = seal(secret(1), "node-3", SEALED_AT);
        assertThat(RocksStateMachine.entryPayload(BATCHES, follower, false))
                .as("a log written before nodes sealed their writes").isEqualTo(BATCHES);
        assertThatThrownBy(() -> RocksStateMachine.entryPayload(BATCHES, follower, true))
                .isInstanceOf(RequestSeal.RefusedException.class).hasMessageContaining("not sealed");
    }

    @Test
    void entriesWrittenBeforeSealing_neverStartLikeASealedOne() {
        byte[] single = MetaBatchCodec.encodeEntry(List.of(MetaBatch.of(new MetaBatch.Delete(MetaTable.OBJECTS,
                new byte[] {'k'}))));
        byte[] group = MetaBatchCodec.encodeEntry(List.of(MetaBatch.of(new MetaBatch.Delete(MetaTable.OBJECTS,
                new byte[] {'k'})), MetaBatch.of(new MetaBatch.Delete(MetaTable.OBJECTS, new byte[] {'l'}))));
        assertThat(single[0]).isNotEqualTo(RocksStateMachine.SEALED_ENTRY);
        assertThat(group[0]).isNotEqualTo(RocksStateMachine.SEALED_ENTRY);
    }
}
