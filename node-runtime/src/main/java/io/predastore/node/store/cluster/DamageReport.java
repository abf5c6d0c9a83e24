package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.RecordIo;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * A shard that its own node found damaged (its scrubber re-read it and it failed its checksums, or its segment is
 * gone), recorded in the {@link MetaTable#DAMAGE} table through Raft. A node knows a shard only by its set id and
 * index, not which object uses the set; the metadata leader's protection pass, which walks the object records,
 * turns each report into a repair entry for the object and removes the report.
 *
 * <p>Key: {@code setId (UTF-8) | 0x00 | u8 shard index | u32 node} (big-endian), so the reports of one set are
 * adjacent. Value: {@code u8 version 1 | u8 cause | i64 found (epoch ms) | string detail}, see {@link RecordIo}.
 *
 * @param setId  the shard set's id
 * @param index  the shard's index in the set
 * @param node   the node that holds it and found it damaged
 * @param cause  what is wrong with it
 * @param found  when it was found
 * @param detail what the check said, for the log and the admin API
 */
public record DamageReport(String setId, int index, int node, Cause cause, Instant found, String detail) {
    private static final int VERSION = 1;

    /** What is wrong with a damaged shard. Codes are stored: never renumber. */
    public enum Cause {
        /** Its bytes fail their checksums. */
        CORRUPT(1),
        /** Its index entry names a record or segment that is not there. */
        MISSING(2);

        private final int code;

        Cause(int code) {
            this.code = code;
        }

        static Cause ofCode(int code) throws IOException {
            for (Cause c : values()) {
                if (c.code == code) {
                    return c;
                }
            }
            throw new IOException("unknown damage cause " + code);
        }
    }

    public DamageReport {
        Objects.requireNonNull(setId, "setId");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(found, "found");
        Objects.requireNonNull(detail, "detail");
        if (setId.isEmpty() || setId.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad shard set id '" + setId + "'");
        }
        if (index < 0 || index > 255) {
            throw new IllegalArgumentException("shard index " + index + " is outside 0 to 255");
        }
    }

    /** The report's key in {@link MetaTable#DAMAGE}. */
    public byte[] key() {
        return MetaKeys.concat(prefix(setId), new byte[] {(byte) index}, ByteBuffer.allocate(4).putInt(node).array());
    }

    /** The prefix of the keys of every report about set {@code setId}. */
    public static byte[] prefix(String setId) {
        return MetaKeys.concat(MetaKeys.utf8(setId), new byte[] {0});
    }

    /** The report's value. */
    public byte[] encode() {
        return RecordIo.encode(VERSION, out -> {
            out.writeByte(cause.code);
            RecordIo.writeInstant(out, found);
            RecordIo.writeString(out, detail);
        });
    }

    /** The write that records this report (replacing an earlier report of the same shard on the same node). */
    public MetaBatch.Put put() {
        return new MetaBatch.Put(MetaTable.DAMAGE, key(), encode());
    }

    /** Decodes an entry of {@link MetaTable#DAMAGE}. */
    public static DamageReport decode(byte[] key, byte[] value) throws IOException {
        int zero = MetaKeys.indexOf(key, new byte[] {0}, 0);
        if (zero <= 0 || key.length != zero + 1 + 1 + 4) {
            throw new IOException("malformed damage report key of " + key.length + " bytes");
        }
        String setId = MetaKeys.string(key, 0, zero);
        int index = key[zero + 1] & 0xFF;
        int node = ByteBuffer.wrap(key, zero + 2, 4).getInt();
        if (value.length == 0) {
            throw new IOException("empty damage report");
        }
        DataInputStream in = RecordIo.decoder(value, value.length, VERSION, "damage report");
        Cause cause = Cause.ofCode(in.readUnsignedByte());
        Instant found = RecordIo.readInstant(in);
        String detail = RecordIo.readString(in);
        return new DamageReport(setId, index, node, cause, found, detail);
    }
}
