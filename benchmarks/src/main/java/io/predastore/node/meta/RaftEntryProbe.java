package io.predastore.node.meta;

import io.predastore.node.pki.ClusterSecret;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The state-machine data of one metadata log entry, as a node's Raft client seals it and the state machine logs it,
 * for the scaling simulator ({@code io.predastore.bench.scale}). It sits in this package, in the benchmarks module,
 * because the seal and the entry marker are package-private; using them (rather than re-stating their layouts) keeps
 * the simulator's log sizes equal to what the product writes. Thread-safe.
 */
public final class RaftEntryProbe {

    private RaftEntryProbe() {
    }

    /**
     * The log data of an entry carrying {@code batches}: the entry marker, then the sealed request holding the
     * entry encoding ({@link MetaBatchCodec#encodeEntry}: one batch, or a group of them).
     *
     * @param senderPeerId the sending node's peer id (written into the seal)
     * @param batches the batches of one entry, at least one
     * @return the bytes Ratis stores as the entry's state-machine log data
     */
    public static byte[] logData(String senderPeerId, List<MetaBatch> batches) {
        SecureRandom random = new SecureRandom();
        RequestSeal seal = new RequestSeal(ClusterSecret.generate(random), senderPeerId, Set.of(senderPeerId),
                Clock.systemUTC(), random);
        byte[] sealed = seal.seal(RequestSeal.Kind.WRITE, MetaBatchCodec.encodeEntry(batches));
        byte[] entry = new byte[sealed.length + 1];
        entry[0] = RocksStateMachine.SEALED_ENTRY;
        System.arraycopy(sealed, 0, entry, 1, sealed.length);
        return entry;
    }
}
