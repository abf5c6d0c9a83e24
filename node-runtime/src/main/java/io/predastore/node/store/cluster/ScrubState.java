package io.predastore.node.store.cluster;

import io.predastore.node.disk.OwnerOnly;
import io.predastore.node.shard.ShardId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * What a {@link ShardScrubber} keeps across restarts, in {@code <dataDir>/shards/scrub-state}: where its pass has
 * got, its totals, and the damage reports it could not yet write to the metadata (so a restart loses none).
 *
 * <p>Encoding (big-endian): {@code u32 magic "PSCS" | u8 version 1 | u8 flags (1 = a pass is under way, 2 = there
 * is a cursor) | [u16 n | n bytes objectId (US-ASCII) | u8 shard index] | i64 passesCompleted | i64
 * passBytesVerified | i64 passBytesTotal | i64 passStartMillis | i64 lastFullPassMillis | i64 corruptionsFound |
 * u32 pending count | per report: u16 key length | key | u32 value length | value (the {@link DamageReport} key and
 * value as stored in the DAMAGE table) | u32 CRC32C of every byte before it}. Immutable.
 *
 * @param inPass             whether a pass is under way (false while waiting for the next one)
 * @param cursor             the last shard verified in this pass, null before the first
 * @param passesCompleted    full passes completed
 * @param passBytesVerified  record bytes verified in this pass
 * @param passBytesTotal     record bytes the store held when this pass began
 * @param passStartMillis    when this pass began, -1 for never
 * @param lastFullPassMillis when the last full pass ended, -1 for never
 * @param corruptionsFound   damaged shards found, in all passes
 * @param pending            damage reports not yet written to the metadata, oldest first
 */
record ScrubState(boolean inPass, ShardId cursor, long passesCompleted, long passBytesVerified, long passBytesTotal,
        long passStartMillis, long lastFullPassMillis, long corruptionsFound, List<DamageReport> pending) {
    private static final int MAGIC = 0x50534353;
    private static final int VERSION = 1;
    /** The most damage reports a state file may hold; a scrubber never keeps more (see ShardScrubber). */
    static final int MAX_PENDING = 10_000;
    /** Larger than any state can be (a report holds at most a 128-character id and a bounded detail). */
    private static final long MAX_FILE_BYTES = 16L << 20;

    ScrubState {
        pending = List.copyOf(pending);
        if (pending.size() > MAX_PENDING) {
            throw new IllegalArgumentException(pending.size() + " pending damage reports, at most " + MAX_PENDING);
        }
    }

    /** The state of a scrubber that has never run: its first pass starts at once. */
    static ScrubState fresh() {
        return new ScrubState(false, null, 0, 0, 0, -1, -1, 0, List.of());
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeByte((inPass ? 1 : 0) | (cursor != null ? 2 : 0));
            if (cursor != null) {
                byte[] id = cursor.objectId().getBytes(StandardCharsets.US_ASCII);
                out.writeShort(id.length);
                out.write(id);
                out.writeByte(cursor.index());
            }
            out.writeLong(passesCompleted);
            out.writeLong(passBytesVerified);
            out.writeLong(passBytesTotal);
            out.writeLong(passStartMillis);
            out.writeLong(lastFullPassMillis);
            out.writeLong(corruptionsFound);
            out.writeInt(pending.size());
            for (DamageReport r : pending) {
                byte[] key = r.key();
                byte[] value = r.encode();
                out.writeShort(key.length);
                out.write(key);
                out.writeInt(value.length);
                out.write(value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        byte[] body = bytes.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
    }

    /**
     * Decodes a state file's bytes.
     *
     * @throws IOException saying what is wrong, if they are not a whole, undamaged state of this version
     */
    static ScrubState decode(byte[] bytes) throws IOException {
        if (bytes.length < 4 + 1 + 1 + 6 * 8 + 4 + 4) {
            throw new IOException("it is " + bytes.length + " bytes long, too short for a scrub state");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            throw new IOException("it fails its CRC32C");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 4))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("it is not a scrub state file (bad magic)");
            }
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IOException("it has version " + version + "; this node reads version " + VERSION);
            }
            int flags = in.readUnsignedByte();
            ShardId cursor = null;
            if ((flags & 2) != 0) {
                byte[] id = in.readNBytes(in.readUnsignedShort());
                cursor = new ShardId(new String(id, StandardCharsets.US_ASCII), in.readUnsignedByte());
            }
            long passes = in.readLong();
            long verified = in.readLong();
            long total = in.readLong();
            long start = in.readLong();
            long lastFull = in.readLong();
            long corruptions = in.readLong();
            int count = in.readInt();
            if (count < 0 || count > MAX_PENDING) {
                throw new IOException("it lists " + count + " pending damage reports, at most " + MAX_PENDING);
            }
            List<DamageReport> pending = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] key = in.readNBytes(in.readUnsignedShort());
                int length = in.readInt();
                if (length < 0 || length > in.available()) {
                    throw new IOException("damage report " + i + " is cut short");
                }
                pending.add(DamageReport.decode(key, in.readNBytes(length)));
            }
            if (in.available() != 0) {
                throw new IOException("it has " + in.available() + " bytes after its last field");
            }
            if (passes < 0 || verified < 0 || total < 0 || corruptions < 0) {
                throw new IOException("it holds a negative count");
            }
            return new ScrubState((flags & 1) != 0, cursor, passes, verified, total, start, lastFull, corruptions,
                    pending);
        } catch (java.io.EOFException e) {
            throw new IOException("it is cut short", e);
        } catch (IllegalArgumentException e) {
            throw new IOException("it holds a bad value: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the state in {@code file}: a fresh one if there is none.
     *
     * @throws IOException if it cannot be read or does not decode (the caller starts afresh and says why)
     */
    static ScrubState load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return fresh();
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException("scrub state " + file + " is unusable: it is " + size + " bytes, more than a state"
                    + " with " + MAX_PENDING + " pending reports can be");
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            return decode(bytes);
        } catch (IOException e) {
            throw new IOException("scrub state " + file + " is unusable: " + e.getMessage(), e);
        }
    }

    /** Replaces {@code file} with this state: a temporary file, forced to disk, moved over it atomically. */
    void save(Path file) throws IOException {
        OwnerOnly.writeAtomically(file, encode());
    }
}
