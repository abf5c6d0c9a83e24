package io.predastore.node.shard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Reads a byte range of one record: only the chunk frames that overlap the range, each verified against its
 * CRC32C before any of its bytes are returned. Holds a reference on the segment until closed.
 */
final class SegmentReader extends InputStream {

    private final Segment segment;
    private final RecordFormat.Location loc;
    private final ShardId id;
    private long pos;
    private final long end;
    private ByteBuffer frame;
    private long loadedChunk = -1;
    private int loadedLength;
    private boolean headerChecked;
    private boolean closed;

    SegmentReader(Segment segment, RecordFormat.Location loc, ShardId id, long offset, long length) {
        this.segment = segment;
        this.loc = loc;
        this.id = id;
        this.pos = offset;
        this.end = offset + length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        if (pos >= end) {
            return -1;
        }
        long chunk = pos / loc.chunkSize();
        if (chunk != loadedChunk) {
            load(chunk);
        }
        int within = (int) (pos - chunk * loc.chunkSize());
        int n = (int) Math.min(Math.min(len, loadedLength - within), end - pos);
        frame.get(RecordFormat.CHUNK_FRAME_HEADER + within, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long k = Math.max(0, Math.min(n, end - pos));
        pos += k;
        return k;
    }

    @Override
    public int available() {
        if (loadedChunk < 0 || pos >= end) {
            return 0;
        }
        long loadedEnd = loadedChunk * loc.chunkSize() + loadedLength;
        return (int) Math.max(0, Math.min(loadedEnd, end) - pos);
    }

    private void load(long chunk) throws IOException {
        if (!headerChecked) {
            checkHeader(segment, loc, id);
            headerChecked = true;
        }
        int length = (int) Math.min(loc.chunkSize(), loc.length() - chunk * loc.chunkSize());
        if (frame == null) {
            frame = ByteBuffer.allocate(RecordFormat.CHUNK_FRAME_HEADER
                    + (int) Math.min(loc.chunkSize(), Math.max(1, loc.length())));
        }
        long at = loc.dataOffset() + chunk * (RecordFormat.CHUNK_FRAME_HEADER + (long) loc.chunkSize());
        loadedChunk = -1;
        readChunk(segment, loc, id, chunk, at, length, frame);
        loadedChunk = chunk;
        loadedLength = length;
    }

    /** Reads one chunk frame into {@code frame} (position 0, limit frame end) and verifies it. */
    static void readChunk(Segment segment, RecordFormat.Location loc, ShardId id, long chunk, long at, int length,
            ByteBuffer frame) throws IOException {
        frame.clear().limit(RecordFormat.CHUNK_FRAME_HEADER + length);
        if (!segment.readFully(frame, at)) {
            throw missing(segment, loc, id, "chunk " + chunk + " is cut short");
        }
        frame.flip();
        int storedLength = frame.getInt(0);
        int storedCrc = frame.getInt(4);
        if (storedLength != length) {
            throw corrupt(segment, loc, id, "chunk " + chunk + " has length " + storedLength + ", expected "
                    + length);
        }
        int crc = RecordFormat.crc(frame.array(), RecordFormat.CHUNK_FRAME_HEADER, length);
        if (crc != storedCrc) {
            throw corrupt(segment, loc, id, "chunk " + chunk + " fails its CRC32C");
        }
    }

    /** Verifies the record header: magic, version, CRC32C, shard id and chunk size. Returns its CRC32C. */
    static int checkHeader(Segment segment, RecordFormat.Location loc, ShardId id) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(loc.headerLength());
        if (!segment.readFully(h, loc.recordOffset())) {
            throw missing(segment, loc, id, "record header is cut short");
        }
        h.flip();
        int n = loc.headerLength() - 4;
        if (h.getInt(0) != RecordFormat.MAGIC || h.get(4) != RecordFormat.VERSION
                || h.get(5) != RecordFormat.TYPE_SHARD
                || RecordFormat.crc(h.array(), 0, n) != h.getInt(n)) {
            throw corrupt(segment, loc, id, "record header is damaged");
        }
        int idLength = h.getShort(6) & 0xffff;
        String objectId = new String(h.array(), 8, Math.min(idLength, n - 8), StandardCharsets.US_ASCII);
        if (idLength != n - RecordFormat.HEADER_FIXED + 4 || !objectId.equals(id.objectId())
                || (h.get(8 + idLength) & 0xff) != id.index() || h.getInt(9 + idLength) != loc.chunkSize()) {
            throw corrupt(segment, loc, id, "record header names another shard");
        }
        return h.getInt(n);
    }

    /** Reads and checks the whole record: header, every chunk, the shard CRC32C and the commit frame. */
    static void verifyRecord(Segment segment, RecordFormat.Location loc, ShardId id) throws IOException {
        int headerCrc = checkHeader(segment, loc, id);
        ByteBuffer frame = ByteBuffer.allocate(RecordFormat.CHUNK_FRAME_HEADER
                + (int) Math.min(loc.chunkSize(), Math.max(1, loc.length())));
        CRC32C whole = new CRC32C();
        long chunks = RecordFormat.chunkCount(loc.length(), loc.chunkSize());
        long at = loc.dataOffset();
        for (long c = 0; c < chunks; c++) {
            int length = (int) Math.min(loc.chunkSize(), loc.length() - c * loc.chunkSize());
            readChunk(segment, loc, id, c, at, length, frame);
            whole.update(frame.array(), RecordFormat.CHUNK_FRAME_HEADER, length);
            at += RecordFormat.CHUNK_FRAME_HEADER + length;
        }
        if ((int) whole.getValue() != loc.crc32c()) {
            throw corrupt(segment, loc, id, "shard bytes fail the shard CRC32C");
        }
        ByteBuffer commit = ByteBuffer.allocate(RecordFormat.COMMIT_FRAME);
        if (!segment.readFully(commit, at)) {
            throw missing(segment, loc, id, "commit frame is cut short");
        }
        if (!commit.flip().equals(RecordFormat.commitFrame(headerCrc, loc.length(), loc.crc32c()))) {
            throw corrupt(segment, loc, id, "commit frame is damaged");
        }
    }

    static ShardCorruptException corrupt(Segment segment, RecordFormat.Location loc, ShardId id, String what) {
        return new ShardCorruptException(describe(segment, loc, id, what), false);
    }

    /** The record is not (all) there: its segment file ends before it does. */
    static ShardCorruptException missing(Segment segment, RecordFormat.Location loc, ShardId id, String what) {
        return new ShardCorruptException(describe(segment, loc, id, what), true);
    }

    private static String describe(Segment segment, RecordFormat.Location loc, ShardId id, String what) {
        return "shard " + id.index() + " of " + id.objectId() + ": " + what + " (segment "
                + segment.path.getFileName() + ", record at " + loc.recordOffset() + ")";
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            segment.release();
        }
    }
}
