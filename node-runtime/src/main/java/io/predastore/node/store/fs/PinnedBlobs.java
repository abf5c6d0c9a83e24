package io.predastore.node.store.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open channels of one object version, reference counted. The handle holds the first reference; every body
 * it opens takes one more and returns it on close. The channels close when the last reference is released, so a
 * body sent after its handle was closed still reads, and nothing leaks once everyone has closed. An open channel
 * keeps the file's inode alive, so an overwrite or delete that removes the file does not affect readers.
 */
final class PinnedBlobs {
    private final FileChannel[] channels;
    private final long[] lengths;
    private final AtomicInteger refs = new AtomicInteger(1);

    PinnedBlobs(FileChannel[] channels, long[] lengths) {
        this.channels = channels;
        this.lengths = lengths;
    }

    FileChannel channel(int i) {
        return channels[i];
    }

    long length(int i) {
        return lengths[i];
    }

    int count() {
        return channels.length;
    }

    void retain() {
        refs.updateAndGet(n -> {
            if (n <= 0) {
                throw new IllegalStateException("object data already released");
            }
            return n + 1;
        });
    }

    void release() throws IOException {
        if (refs.decrementAndGet() == 0) {
            closeAll(channels);
        }
    }

    static void closeAll(FileChannel[] channels) throws IOException {
        IOException first = null;
        for (FileChannel ch : channels) {
            if (ch == null) {
                continue;
            }
            try {
                ch.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
