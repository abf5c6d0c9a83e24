package io.predastore.chaos.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Bit rot for a running node: flips single bytes in the shard segment files under its data directory, so that a
 * fault-injection run can check that reads never return the damaged bytes (the node must notice through its chunk
 * checksums and read the shard elsewhere or rebuild it).
 *
 * <p>The segment files are {@code <nodeDataDir>/shards/segments/NNNNNNNNNNNNNNNN.seg} (16 decimal digits, newer
 * is larger), append-only sequences of records laid out (big-endian, CRC32C as {@link CRC32C}) as
 * <pre>
 * header       u32 magic 0x50534852 ("PSHR") | u8 version 1 | u8 type 1 | u16 n | n bytes objectId
 *              | u8 shard index | u32 chunk size C | u32 CRC32C of the header bytes before it     (17 + n bytes)
 * chunk frame  u32 len (1..C) | u32 CRC32C of the bytes | len bytes         (one per C bytes of shard)
 * commit frame u32 0 | u64 shard length | u32 CRC32C of shard | u32 CRC32C(header CRC | length | shard CRC)
 * </pre>
 * This class parses that format itself rather than using the node's store, and does so defensively: the node
 * appends to the files while they are read, so the last record of a file may be incomplete, and parsing of a file
 * stops at the first thing that does not parse (a bad magic, version or type, a header or commit checksum that does
 * not match, a frame running past the end of the file).
 *
 * <p><b>What is flipped.</b> Only payload bytes of chunk frames, and only of <em>complete</em> records (whose commit
 * frame is present), are eligible. Headers, chunk length and checksum fields and commit frames are never touched: a
 * damaged header or commit frame makes the whole record unreadable, which is the case of a missing shard, injected
 * and checked elsewhere; a damaged payload byte is the subtle case, where the record still looks whole and only the
 * chunk checksum tells it is wrong. Only records starting within the newest {@code recentBytes} of segment data are
 * eligible, because recently written records are the ones most likely still live and read (older ones are more
 * often overwritten, deleted or compacted away), so a flip there is the one that reaches a reader.
 *
 * <p>Each byte is flipped by a positional read and write of that one byte through a {@link FileChannel}, XORed with
 * a non-zero mask; nothing else in the file is written and its length does not change. Stateless.
 */
public final class SegmentRot {
    private static final int MAGIC = 0x50534852;
    private static final int FIXED_HEADER = 17;
    private static final int COMMIT_FRAME = 20;
    private static final Pattern SEGMENT_NAME = Pattern.compile("\\d{16}\\.seg");

    /**
     * One byte flipped.
     *
     * @param segment    the segment file
     * @param offset     the byte's offset in that file
     * @param objectId   the object whose shard the byte belongs to
     * @param shardIndex the shard's index
     * @param mask       the non-zero mask the byte was XORed with
     */
    public record Flip(Path segment, long offset, String objectId, int shardIndex, byte mask) {
        /** Checks the fields. */
        public Flip {
            Objects.requireNonNull(segment, "segment");
            Objects.requireNonNull(objectId, "objectId");
            if (mask == 0) {
                throw new IllegalArgumentException("a zero mask flips nothing");
            }
        }
    }

    /** A run of eligible payload bytes: one chunk frame's payload. */
    private record Payload(Path segment, long offset, int length, String objectId, int shardIndex) {
    }

    private SegmentRot() {
    }

    /**
     * Flips {@code count} distinct bytes, chosen uniformly over the chunk payload bytes of the complete records that
     * start within the newest {@code recentBytes} of the node's segment data (segments are walked from the newest
     * back until that many bytes of file length are covered). Fewer than {@code count} are flipped only when fewer
     * bytes are eligible.
     *
     * @param nodeDataDir the node's data directory (holding {@code shards/segments})
     * @param random      the source of every choice: the same seed on the same files makes the same flips
     * @param count       how many bytes to flip, at least 0
     * @param recentBytes how much of the newest segment data is eligible, in bytes
     * @return the flips made, in segment and offset order; empty when there is no segment directory or no eligible
     *         byte
     * @throws IOException if a segment file cannot be read or written (one deleted meanwhile is skipped instead)
     */
    public static List<Flip> flip(Path nodeDataDir, Random random, int count, long recentBytes) throws IOException {
        Objects.requireNonNull(random, "random");
        if (count < 0) {
            throw new IllegalArgumentException("count " + count + " < 0");
        }
        Path dir = nodeDataDir.resolve("shards").resolve("segments");
        if (count == 0 || recentBytes <= 0 || !Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> segments = segments(dir);
        Map<Path, FileChannel> open = new LinkedHashMap<>();
        try {
            List<Payload> payloads = new ArrayList<>();
            long remaining = recentBytes;
            for (Path segment : segments) {
                if (remaining <= 0) {
                    break;
                }
                FileChannel ch;
                try {
                    ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE);
                } catch (NoSuchFileException deletedByCompaction) {
                    continue;
                }
                open.put(segment, ch);
                long size = ch.size();
                long windowStart = Math.max(0, size - remaining);
                remaining -= size;
                parse(segment, ch, size, windowStart, payloads);
            }
            // Oldest segment first, then by offset, so the flips come out in file order.
            payloads.sort(Comparator.comparing(Payload::segment).thenComparingLong(Payload::offset));
            long total = 0;
            long[] starts = new long[payloads.size()];
            for (int i = 0; i < payloads.size(); i++) {
                starts[i] = total;
                total += payloads.get(i).length();
            }
            List<Flip> flips = new ArrayList<>();
            for (long pick : sample(random, total, Math.min(count, total))) {
                int i = indexOf(starts, pick);
                Payload p = payloads.get(i);
                byte mask = (byte) (1 + random.nextInt(255));
                long offset = p.offset() + (pick - starts[i]);
                if (flipByte(open.get(p.segment()), offset, mask)) {
                    flips.add(new Flip(p.segment(), offset, p.objectId(), p.shardIndex(), mask));
                }
            }
            return List.copyOf(flips);
        } finally {
            IOException failure = null;
            for (FileChannel ch : open.values()) {
                try {
                    ch.close();
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** The segment files of {@code dir}, newest first. */
    private static List<Path> segments(Path dir) throws IOException {
        List<Path> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (SEGMENT_NAME.matcher(f.getFileName().toString()).matches()) {
                    segments.add(f);
                }
            }
        } catch (NoSuchFileException removedMeanwhile) {
            return List.of();
        }
        // Fixed-width decimal names: their string order is their numeric order.
        segments.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        return segments;
    }

    /**
     * Adds to {@code out} the chunk payloads of the complete records of {@code segment} (its first {@code size}
     * bytes) that start at or after {@code windowStart}. Stops at the first thing that does not parse.
     */
    private static void parse(Path segment, FileChannel ch, long size, long windowStart, List<Payload> out)
            throws IOException {
        long pos = 0;
        List<Payload> chunks = new ArrayList<>();
        while (pos + FIXED_HEADER <= size) {
            ByteBuffer head = read(ch, pos, 8);
            if (head == null || head.getInt() != MAGIC || head.get() != 1 || head.get() != 1) {
                return;
            }
            int n = Short.toUnsignedInt(head.getShort());
            int headerLength = FIXED_HEADER + n;
            if (pos + headerLength > size) {
                return;
            }
            ByteBuffer header = read(ch, pos, headerLength);
            if (header == null) {
                return;
            }
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, headerLength - 4);
            int headerCrc = header.getInt(headerLength - 4);
            if ((int) crc.getValue() != headerCrc) {
                return;
            }
            String objectId = new String(header.array(), 8, n, StandardCharsets.US_ASCII);
            int shardIndex = Byte.toUnsignedInt(header.get(8 + n));
            long chunkSize = Integer.toUnsignedLong(header.getInt(9 + n));
            if (chunkSize == 0) {
                return;
            }
            chunks.clear();
            long p = pos + headerLength;
            long shardLength = 0;
            boolean lastChunkShort = false;
            while (true) {
                if (p + 4 > size) {
                    return; // Incomplete record at the end.
                }
                ByteBuffer lenField = read(ch, p, 4);
                if (lenField == null) {
                    return;
                }
                long len = Integer.toUnsignedLong(lenField.getInt());
                if (len == 0) {
                    break;
                }
                if (len > chunkSize || lastChunkShort || p + 8 + len > size) {
                    return; // Malformed, or a chunk still being written.
                }
                lastChunkShort = len < chunkSize;
                chunks.add(new Payload(segment, p + 8, (int) len, objectId, shardIndex));
                shardLength += len;
                p += 8 + len;
            }
            if (p + COMMIT_FRAME > size) {
                return; // The commit frame is not (all) there yet.
            }
            ByteBuffer commit = read(ch, p, COMMIT_FRAME);
            if (commit == null) {
                return;
            }
            commit.getInt();
            long committedLength = commit.getLong();
            int shardCrc = commit.getInt();
            int commitCrc = commit.getInt();
            CRC32C check = new CRC32C();
            check.update(ByteBuffer.allocate(16).putInt(headerCrc).putLong(committedLength).putInt(shardCrc).flip());
            if (committedLength != shardLength || (int) check.getValue() != commitCrc) {
                return;
            }
            if (pos >= windowStart) {
                out.addAll(chunks);
            }
            pos = p + COMMIT_FRAME;
        }
    }

    /** {@code length} bytes of {@code ch} at {@code position}, flipped for reading; null if the file is shorter. */
    private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int r = ch.read(buf, position + buf.position());
            if (r < 0) {
                return null;
            }
        }
        return buf.flip();
    }

    /**
     * XORs the byte at {@code offset} with {@code mask}, unless the file no longer reaches it (the write would
     * extend the file). True if flipped.
     */
    private static boolean flipByte(FileChannel ch, long offset, byte mask) throws IOException {
        if (offset >= ch.size()) {
            return false;
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        if (ch.read(one, offset) != 1) {
            return false;
        }
        one.put(0, (byte) (one.get(0) ^ mask));
        one.rewind();
        while (one.hasRemaining()) {
            ch.write(one, offset);
        }
        return true;
    }

    /** {@code k} distinct values of {@code [0, n)} chosen uniformly (Floyd's algorithm), ascending. */
    private static long[] sample(Random random, long n, long k) {
        Set<Long> chosen = new HashSet<>();
        for (long j = n - k; j < n; j++) {
            long t = random.nextLong(j + 1);
            chosen.add(chosen.contains(t) ? j : t);
        }
        return chosen.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** The index of the last start at or before {@code value} in the ascending {@code starts}. */
    private static int indexOf(long[] starts, long value) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= value) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
