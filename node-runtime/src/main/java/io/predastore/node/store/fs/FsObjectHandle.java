package io.predastore.node.store.fs;

import io.predastore.node.store.ObjectBody;
import io.predastore.node.store.ObjectHandle;
import io.predastore.node.store.ObjectInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An opened object version: inline bytes, or {@link PinnedBlobs} whose channels were opened when the handle
 * was created. See {@link PinnedBlobs} for who closes the channels.
 */
final class FsObjectHandle implements ObjectHandle {
    private final ObjectInfo info;
    private final byte[] inline;
    private final PinnedBlobs blobs;
    private boolean closed;

    FsObjectHandle(ObjectInfo info, byte[] inline, PinnedBlobs blobs) {
        this.info = info;
        this.inline = inline;
        this.blobs = blobs;
    }

    @Override
    public ObjectInfo info() {
        return info;
    }

    @Override
    public ObjectBody open(long offset, long length) throws IOException {
        if (closed) {
            throw new IllegalStateException("the object handle is closed; open the body before closing it");
        }
        if (offset < 0 || length < 0 || offset + length > info.size()) {
            throw new IllegalArgumentException(
                    "range " + offset + "+" + length + " is outside the object of " + info.size() + " bytes");
        }
        if (inline != null) {
            return new InlineBody(inline, (int) offset, (int) length);
        }
        List<ObjectBody.FileSlice> slices = new ArrayList<>();
        long skip = offset;
        long want = length;
        for (int i = 0; i < blobs.count() && want > 0; i++) {
            long segment = blobs.length(i);
            if (skip >= segment) {
                skip -= segment;
                continue;
            }
            long n = Math.min(segment - skip, want);
            slices.add(new ObjectBody.FileSlice(blobs.channel(i), skip, n));
            want -= n;
            skip = 0;
        }
        blobs.retain();
        return new FileBody(blobs, List.copyOf(slices), length);
    }

    @Override
    public Optional<Span> part(int partNumber) throws IOException {
        // An inline version was written by one PUT, so it is one part; otherwise its blobs are its parts in order.
        return blobs == null ? Span.ofPart(info, partNumber, 0, i -> 0)
                : Span.ofPart(info, partNumber, blobs.count(), blobs::length);
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            if (blobs != null) {
                blobs.release();
            }
        }
    }

    /** Bytes held in memory (small objects stored in the metadata record). */
    private static final class InlineBody implements ObjectBody {
        private final byte[] bytes;
        private final int offset;
        private final int length;

        InlineBody(byte[] bytes, int offset, int length) {
            this.bytes = bytes;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public List<FileSlice> fileSlices() {
            return List.of();
        }

        @Override
        public InputStream openStream() {
            return new ByteArrayInputStream(bytes, offset, length);
        }

        @Override
        public void close() {
            // nothing to release
        }
    }

    /** Slices of pinned blob files; holds one reference on the channels until closed. */
    private static final class FileBody implements ObjectBody {
        private final PinnedBlobs blobs;
        private final List<FileSlice> slices;
        private final long length;
        private boolean closed;

        FileBody(PinnedBlobs blobs, List<FileSlice> slices, long length) {
            this.blobs = blobs;
            this.slices = slices;
            this.length = length;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public List<FileSlice> fileSlices() {
            return slices;
        }

        @Override
        public InputStream openStream() {
            return new SliceInputStream(slices);
        }

        @Override
        public synchronized void close() throws IOException {
            if (!closed) {
                closed = true;
                blobs.release();
            }
        }
    }

    /** Reads slices in order with positional reads, so it never moves a channel's shared position. */
    private static final class SliceInputStream extends InputStream {
        private final List<ObjectBody.FileSlice> slices;
        private int index;
        private long done;

        SliceInputStream(List<ObjectBody.FileSlice> slices) {
            this.slices = slices;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (index < slices.size()) {
                ObjectBody.FileSlice s = slices.get(index);
                long left = s.length() - done;
                if (left <= 0) {
                    index++;
                    done = 0;
                    continue;
                }
                ByteBuffer buf = ByteBuffer.wrap(b, off, (int) Math.min(len, left));
                int n = s.channel().read(buf, s.position() + done);
                if (n < 0) {
                    throw new IOException("blob file is shorter than its record says; the data is damaged");
                }
                done += n;
                return n;
            }
            return -1;
        }
    }
}
