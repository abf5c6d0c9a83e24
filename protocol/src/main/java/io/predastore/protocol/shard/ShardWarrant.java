package io.predastore.protocol.shard;

import java.util.Arrays;
import java.util.Objects;

/**
 * Why a node asks another for a shard: a reference to the metadata record that entitles the request. The serving
 * node looks the record up in its own replica of the metadata and serves the request only if the record lists the
 * shard on that node, so a node's certificate alone opens no shard it has no business with. Immutable.
 *
 * @param kind which table the record is in (or none)
 * @param key  the record's key in that table; empty for {@link Kind#NONE} only
 */
public record ShardWarrant(Kind kind, byte[] key) {
    /** Longest key on the wire (an object key is a bucket name and an S3 key of at most 1024 bytes). */
    public static final int MAX_KEY_LENGTH = 2048;

    /** No record: only a node writing a new shard in its own namespace needs none. */
    public static final ShardWarrant NONE = new ShardWarrant(Kind.NONE, new byte[0]);

    /** The record kinds a warrant can name. Codes are part of the wire format: never renumber. */
    public enum Kind {
        NONE(0),
        /** An object record (table OBJECTS, key bucket and key). */
        OBJECT(1),
        /** A part of a multipart upload (table PARTS). */
        PART(2),
        /** A shard set waiting for repair (table REPAIRS, key the set's id). */
        REPAIR(3),
        /** A tombstone: shard sets to delete (table TOMBSTONES). */
        TOMBSTONE(4);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** The kind of a wire code, or null if unknown. */
        public static Kind ofCode(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    public ShardWarrant {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        if (key.length > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("warrant key of " + key.length + " bytes exceeds " + MAX_KEY_LENGTH);
        }
        if ((kind == Kind.NONE) != (key.length == 0)) {
            throw new IllegalArgumentException("a " + kind + " warrant " + (key.length == 0 ? "needs" : "has no")
                    + " key");
        }
        key = key.clone();
    }

    /** A warrant naming the record under {@code key} of the table of {@code kind}. */
    public static ShardWarrant of(Kind kind, byte[] key) {
        return new ShardWarrant(kind, key);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    /** The key's length without copying it. */
    public int keyLength() {
        return key.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShardWarrant w && w.kind == kind && Arrays.equals(w.key, key);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return key.length == 0 ? kind.toString() : kind + "(" + key.length + "-byte key)";
    }
}
