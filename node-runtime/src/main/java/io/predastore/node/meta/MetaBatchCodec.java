package io.predastore.node.meta;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary encoding of {@link MetaBatch} as stored in the Raft log, and of the read requests and replies sent to
 * the replicated state machine. All integers are big-endian.
 *
 * <pre>
 * batch     = version:u8(=1) conditionCount:i32 condition* opCount:i32 op*
 * condition = table:u8 key:bytes present:u8 [expected:bytes if present=1]
 * op        = kind:u8 (1=put, 2=delete) table:u8 key:bytes [value:bytes if put]
 * bytes     = length:i32 octets
 * table     = 1 BUCKETS, 2 OBJECTS, 3 UPLOADS, 4 PARTS, 5 NODES, 6 TOMBSTONES (fixed; independent of enum order)
 * </pre>
 *
 * <p>Log entries outlive the code that wrote them, so the leading version byte lets a later release read older
 * entries; a decoder refuses versions it does not know rather than guessing.
 */
public final class MetaBatchCodec {
    /** The only version this release writes and reads. */
    public static final byte VERSION = 1;

    static final byte OP_PUT = 1;
    static final byte OP_DELETE = 2;
    static final byte OP_REPLACE = 3;

    static final byte QUERY_GET = 1;
    static final byte QUERY_SCAN = 2;
    /** A peer that started empty asks the leader to hand leadership over (see {@link EmptyRejoin}). */
    static final byte QUERY_HANDOVER = 3;

    /** Apply reply: the batch was written. */
    static final byte APPLIED = 1;
    /** Apply reply: a condition did not hold; nothing was written. */
    static final byte NOT_APPLIED = 0;
    /** Apply reply: the log entry could not be decoded; nothing was written. */
    static final byte MALFORMED = 2;
    /** Apply reply: the batch was written and a replace kept the value it replaced. */
    static final byte APPLIED_KEPT_PREVIOUS = 3;

    /** The one-byte reply for an outcome. */
    static byte replyCode(ApplyOutcome outcome) {
        return switch (outcome) {
            case NOT_APPLIED -> NOT_APPLIED;
            case APPLIED -> APPLIED;
            case APPLIED_KEPT_PREVIOUS -> APPLIED_KEPT_PREVIOUS;
        };
    }

    private MetaBatchCodec() {
    }

    /**
     * Leading byte of a log entry that carries several batches (group commit): then a count and each batch's own
     * encoding, length-prefixed. A single batch starts with {@link #VERSION} instead.
     */
    static final byte GROUP = (byte) 0x81;

    /** Encodes the batches of one log entry: a single batch as itself, several as a group. */
    public static byte[] encodeEntry(List<MetaBatch> batches) {
        List<byte[]> encoded = new ArrayList<>(batches.size());
        for (MetaBatch batch : batches) {
            encoded.add(encode(batch));
        }
        return entryOf(encoded);
    }

    /** The log entry for batches already encoded with {@link #encode}: the batch itself if there is one. */
    static byte[] entryOf(List<byte[]> encodedBatches) {
        if (encodedBatches.isEmpty()) {
            throw new IllegalArgumentException("an entry needs at least one batch");
        }
        if (encodedBatches.size() == 1) {
            return encodedBatches.get(0);
        }
        Out out = new Out();
        out.u8(GROUP);
        out.i32(encodedBatches.size());
        for (byte[] batch : encodedBatches) {
            out.bytes(batch);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a log entry into its batches (one for a single-batch entry).
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed entry
     */
    public static List<MetaBatch> decodeEntry(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != GROUP) {
            return List.of(decode(bytes));
        }
        In in = new In(bytes);
        try {
            in.u8();
            int count = in.count();
            if (count < 1) {
                throw new IllegalArgumentException("empty batch group");
            }
            List<MetaBatch> batches = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                batches.add(decode(in.bytes()));
            }
            in.end();
            return batches;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated metadata batch group", e);
        }
    }

    /** Encodes a batch. */
    public static byte[] encode(MetaBatch batch) {
        Out out = new Out();
        out.u8(VERSION);
        out.i32(batch.conditions().size());
        for (MetaBatch.Condition c : batch.conditions()) {
            out.u8(tableCode(c.table()));
            out.bytes(c.key());
            if (c.expected() == null) {
                out.u8(0);
            } else {
                out.u8(1);
                out.bytes(c.expected());
            }
        }
        out.i32(batch.ops().size());
        for (MetaBatch.Op op : batch.ops()) {
            if (op instanceof MetaBatch.Put put) {
                out.u8(OP_PUT);
                out.u8(tableCode(put.table()));
                out.bytes(put.key());
                out.bytes(put.value());
            } else if (op instanceof MetaBatch.Replace replace) {
                out.u8(OP_REPLACE);
                out.u8(tableCode(replace.table()));
                out.bytes(replace.key());
                out.bytes(replace.value());
                out.u8(tableCode(replace.keepTable()));
                out.bytes(replace.keepKey());
            } else {
                out.u8(OP_DELETE);
                out.u8(tableCode(op.table()));
                out.bytes(op.key());
            }
        }
        return out.toByteArray();
    }

    /**
     * Decodes a batch.
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed batch of a known version
     */
    public static MetaBatch decode(byte[] bytes) {
        In in = new In(bytes);
        try {
            checkVersion(in.u8());
            int conditionCount = in.count();
            List<MetaBatch.Condition> conditions = new ArrayList<>(Math.min(conditionCount, 1024));
            for (int i = 0; i < conditionCount; i++) {
                MetaTable table = table(in.u8());
                byte[] key = in.bytes();
                int present = in.u8();
                byte[] expected = switch (present) {
                    case 0 -> null;
                    case 1 -> in.bytes();
                    default -> throw new IllegalArgumentException("bad condition flag " + present);
                };
                conditions.add(new MetaBatch.Condition(table, key, expected));
            }
            int opCount = in.count();
            List<MetaBatch.Op> ops = new ArrayList<>(Math.min(opCount, 1024));
            for (int i = 0; i < opCount; i++) {
                int kind = in.u8();
                MetaTable table = table(in.u8());
                byte[] key = in.bytes();
                ops.add(switch (kind) {
                    case OP_PUT -> new MetaBatch.Put(table, key, in.bytes());
                    case OP_DELETE -> new MetaBatch.Delete(table, key);
                    case OP_REPLACE -> new MetaBatch.Replace(table, key, in.bytes(), table(in.u8()), in.bytes());
                    default -> throw new IllegalArgumentException("bad operation kind " + kind);
                });
            }
            in.end();
            return new MetaBatch(conditions, ops);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated metadata batch", e);
        }
    }

    static byte[] encodeGet(MetaTable table, byte[] key) {
        Out out = new Out();
        out.u8(VERSION);
        out.u8(QUERY_GET);
        out.u8(tableCode(table));
        out.bytes(key);
        return out.toByteArray();
    }

    static byte[] encodeScan(MetaTable table, byte[] prefix, byte[] from, int limit) {
        Out out = new Out();
        out.u8(VERSION);
        out.u8(QUERY_SCAN);
        out.u8(tableCode(table));
        out.bytes(prefix);
        if (from == null) {
            out.u8(0);
        } else {
            out.u8(1);
            out.bytes(from);
        }
        out.i32(limit);
        return out.toByteArray();
    }

    static byte[] encodeHandover(String peerId) {
        Out out = new Out();
        out.u8(VERSION);
        out.u8(QUERY_HANDOVER);
        out.bytes(peerId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The peer asking if {@code query} is a handover request, else null. */
    static String handoverRequester(byte[] query) {
        if (query.length < 2 || query[0] != VERSION || query[1] != QUERY_HANDOVER) {
            return null;
        }
        In in = new In(query);
        try {
            in.u8();
            in.u8();
            byte[] peer = in.bytes();
            in.end();
            return new String(peer, java.nio.charset.StandardCharsets.UTF_8);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated handover request", e);
        }
    }

    /** Runs an encoded query against {@code db} and returns the encoded reply. */
    static byte[] answer(byte[] query, RocksMetaDb db) throws java.io.IOException {
        In in = new In(query);
        try {
            checkVersion(in.u8());
            int kind = in.u8();
            MetaTable table = table(in.u8());
            switch (kind) {
                case QUERY_GET -> {
                    byte[] key = in.bytes();
                    in.end();
                    byte[] value = db.get(table, key);
                    Out out = new Out();
                    if (value == null) {
                        out.u8(0);
                    } else {
                        out.u8(1);
                        out.bytes(value);
                    }
                    return out.toByteArray();
                }
                case QUERY_SCAN -> {
                    byte[] prefix = in.bytes();
                    byte[] from = in.u8() == 1 ? in.bytes() : null;
                    int limit = in.i32();
                    in.end();
                    List<MetaEntry> entries = db.scan(table, prefix, from, limit);
                    Out out = new Out();
                    out.i32(entries.size());
                    for (MetaEntry e : entries) {
                        out.bytes(e.key());
                        out.bytes(e.value());
                    }
                    return out.toByteArray();
                }
                default -> throw new IllegalArgumentException("bad query kind " + kind);
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated metadata query", e);
        }
    }

    static byte[] decodeGetReply(byte[] reply) {
        In in = new In(reply);
        return in.u8() == 1 ? in.bytes() : null;
    }

    static List<MetaEntry> decodeScanReply(byte[] reply) {
        In in = new In(reply);
        int n = in.count();
        List<MetaEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(new MetaEntry(in.bytes(), in.bytes()));
        }
        return entries;
    }

    static int tableCode(MetaTable table) {
        return switch (table) {
            case BUCKETS -> 1;
            case OBJECTS -> 2;
            case UPLOADS -> 3;
            case PARTS -> 4;
            case NODES -> 5;
            case TOMBSTONES -> 6;
            case REPAIRS -> 7;
            case QUARANTINE -> 8;
            case INTENTS -> 9;
            case GARBAGE -> 10;
            case DAMAGE -> 11;
            case HEALTH -> 12;
        };
    }

    static MetaTable table(int code) {
        return switch (code) {
            case 1 -> MetaTable.BUCKETS;
            case 2 -> MetaTable.OBJECTS;
            case 3 -> MetaTable.UPLOADS;
            case 4 -> MetaTable.PARTS;
            case 5 -> MetaTable.NODES;
            case 6 -> MetaTable.TOMBSTONES;
            case 7 -> MetaTable.REPAIRS;
            case 8 -> MetaTable.QUARANTINE;
            case 9 -> MetaTable.INTENTS;
            case 10 -> MetaTable.GARBAGE;
            case 11 -> MetaTable.DAMAGE;
            case 12 -> MetaTable.HEALTH;
            default -> throw new IllegalArgumentException("unknown table code " + code);
        };
    }

    private static void checkVersion(int version) {
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported metadata encoding version " + version);
        }
    }

    private static final class Out {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(64);

        void u8(int v) {
            buf.write(v);
        }

        void i32(int v) {
            buf.write(v >>> 24);
            buf.write(v >>> 16);
            buf.write(v >>> 8);
            buf.write(v);
        }

        void bytes(byte[] b) {
            i32(b.length);
            buf.write(b, 0, b.length);
        }

        byte[] toByteArray() {
            return buf.toByteArray();
        }
    }

    private static final class In {
        private final ByteBuffer buf;

        In(byte[] bytes) {
            buf = ByteBuffer.wrap(bytes);
        }

        int u8() {
            return buf.get() & 0xff;
        }

        int i32() {
            return buf.getInt();
        }

        int count() {
            int n = buf.getInt();
            if (n < 0 || n > buf.remaining()) {
                throw new IllegalArgumentException("bad element count " + n);
            }
            return n;
        }

        byte[] bytes() {
            int n = buf.getInt();
            if (n < 0 || n > buf.remaining()) {
                throw new IllegalArgumentException("bad length " + n);
            }
            byte[] b = new byte[n];
            buf.get(b);
            return b;
        }

        void end() {
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException(buf.remaining() + " trailing bytes");
            }
        }
    }
}
