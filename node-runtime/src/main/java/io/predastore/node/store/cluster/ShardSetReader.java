package io.predastore.node.store.cluster;

import io.predastore.node.erasure.ReedSolomon;
import io.predastore.node.erasure.ShardRange;
import io.predastore.node.erasure.StripeDecoder;
import io.predastore.node.shard.ShardCorruptException;
import io.predastore.node.shard.ShardId;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * Reads object bytes back from shard sets. Shard streams are opened lazily, so a healthy read touches only the
 * data shards; a shard whose node is down, too slow (transport timeout) or returns a bad checksum is replaced by
 * a parity shard and its stripes are rebuilt, without the client noticing.
 *
 * <p>For a set that records its chunk checksums, every chunk is checked against them before it is used, whatever
 * the shard server claims: a shard whose chunk does not match counts as missing for the rest of the read and is
 * reported to {@link CorruptShards} for repair. So is a shard its own node refuses as corrupt (its segment record
 * fails the node's checksums: bytes rotted on disk, or its segment file is gone), when opened or part-way through:
 * reading around it is not enough, or the set would stay a shard short for good. A read that has fewer than k good shards for a stripe fails
 * rather than return bytes that were not stored. Thread-safe.
 */
final class ShardSetReader {
    private final ShardRouter router;
    private final CorruptShards corrupt;
    private final Map<Long, ReedSolomon> codecs = new ConcurrentHashMap<>();

    ShardSetReader(ShardRouter router, CorruptShards corrupt) {
        this.router = router;
        this.corrupt = corrupt;
    }

    ReedSolomon codec(int data, int parity) {
        return codecs.computeIfAbsent(((long) data << 32) | parity, k -> ReedSolomon.create(data, parity));
    }

    /**
     * Bytes {@code [offset, offset + length)} of {@code bucket}/{@code key}, stored as the given shard sets in
     * order, read under {@code warrant}: the metadata record the sets were taken from, which each node checks lists
     * its shard (the names are for the repair of shards found corrupt).
     */
    InputStream open(String bucket, String key, List<ShardSet> segments, long offset, long length,
            ShardWarrant warrant) {
        List<InputStream> parts = new ArrayList<>();
        long segmentStart = 0;
        long end = offset + length;
        for (ShardSet s : segments) {
            long segmentEnd = segmentStart + s.length();
            long from = Math.max(offset, segmentStart);
            long to = Math.min(end, segmentEnd);
            if (from < to) {
                long segmentOffset = from - segmentStart;
                long segmentLength = to - from;
                parts.add(new LazyStream(() -> openSegment(bucket, key, s, segmentOffset, segmentLength, warrant)));
            }
            segmentStart = segmentEnd;
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    private InputStream openSegment(String bucket, String key, ShardSet set, long offset, long length,
            ShardWarrant warrant) {
        ReedSolomon codec = codec(set.dataShards(), set.parityShards());
        ShardRange range = set.layout().shardRange(set.length(), offset, length);
        InputStream[] shards = new InputStream[set.dataShards() + set.parityShards()];
        for (int i = 0; i < shards.length; i++) {
            int index = i;
            int node = set.node(i);
            if (set.isMissing(i)) {
                shards[i] = new LazyStream(() -> {
                    throw new IOException("shard " + index + " of " + set.objectId()
                            + " was never written (its node was down; recorded for repair)");
                });
                continue;
            }
            Runnable reportCorrupt = () -> corrupt.report(bucket, key, set, index);
            shards[i] = new LazyStream(() -> {
                try {
                    return new CorruptionReporting(router.store(node).open(new ShardId(set.objectId(), index),
                            range.shardOffset(), range.shardLength(), warrant), reportCorrupt);
                } catch (ShardCorruptException e) {
                    reportCorrupt.run();
                    throw e;
                } catch (IOException e) {
                    router.reportFailure(node, e);
                    throw e;
                }
            });
        }
        if (!set.hasChunkCrcs()) {
            return StripeDecoder.openRange(codec, set.chunkSize(), shards, set.length(), offset, length,
                    readOrder(set));
        }
        CRC32C crc = new CRC32C();
        return StripeDecoder.openRange(codec, set.chunkSize(), shards, set.length(), offset, length, readOrder(set),
                (shard, stripe, chunk) -> {
                    crc.reset();
                    crc.update(chunk, 0, chunk.length);
                    if ((int) crc.getValue() == set.chunkCrc(shard, stripe)) {
                        return true;
                    }
                    corrupt.report(bucket, key, set, shard);
                    return false;
                });
    }

    /**
     * Shards on this node first, then the remote data shards, then the remote parity shards, and last those never
     * written.
     */
    private int[] readOrder(ShardSet set) {
        int total = set.dataShards() + set.parityShards();
        int[] order = new int[total];
        int n = 0;
        for (int i = 0; i < total; i++) {
            if (!set.isMissing(i) && router.isLocal(set.node(i))) {
                order[n++] = i;
            }
        }
        for (int i = 0; i < total; i++) {
            if (!set.isMissing(i) && !router.isLocal(set.node(i))) {
                order[n++] = i;
            }
        }
        for (int i = 0; i < total; i++) {
            if (set.isMissing(i)) {
                order[n++] = i;
            }
        }
        return order;
    }

    /** Passes a shard's bytes through, and reports the shard when its node finds it corrupt part-way through. */
    static final class CorruptionReporting extends FilterInputStream {
        private final Runnable report;

        CorruptionReporting(InputStream in, Runnable report) {
            super(in);
            this.report = report;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ShardCorruptException e) {
                report.run();
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (ShardCorruptException e) {
                report.run();
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (ShardCorruptException e) {
                report.run();
                throw e;
            }
        }
    }

    /** Opens its stream on first use, so unused parity shards cost nothing. */
    static final class LazyStream extends InputStream {
        interface Opener {
            InputStream open() throws IOException;
        }

        private final Opener opener;
        private InputStream in;
        private boolean closed;

        LazyStream(Opener opener) {
            this.opener = opener;
        }

        private InputStream in() throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (in == null) {
                in = opener.open();
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }

        @Override
        public long skip(long n) throws IOException {
            return in().skip(n);
        }

        @Override
        public void close() throws IOException {
            closed = true;
            if (in != null) {
                in.close();
            }
        }
    }
}
