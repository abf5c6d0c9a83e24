package io.predastore.node.store.cluster;

import io.predastore.node.erasure.ReedSolomon;
import io.predastore.node.erasure.StripeEncoder;
import io.predastore.node.s3.S3Error;
import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * Streams one body into the k + m shards of a new {@link ShardSet} (those placed on a node; a shard placed
 * {@link ShardSet#MISSING} is skipped): stripes are encoded and sent to their nodes
 * while the body is still arriving, so memory stays at a stripe per request whatever the size. Not thread-safe;
 * one per write.
 */
final class ShardSetWriter implements AutoCloseable {
    private static final int READ_BUFFER = 64 * 1024;

    private final ShardRouter router;
    private final ReedSolomon codec;
    private final int chunkSize;
    private final String objectId;
    private final int[] nodes;
    private final ShardWriter[] writers;
    private final Executor executor;
    private boolean committed;

    ShardSetWriter(ShardRouter router, ReedSolomon codec, int chunkSize, String objectId, int[] nodes,
            Executor executor) throws IOException {
        this.router = router;
        this.codec = codec;
        this.chunkSize = chunkSize;
        this.objectId = objectId;
        this.nodes = nodes.clone();
        this.executor = executor;
        this.writers = new ShardWriter[nodes.length];
        try {
            for (int i = 0; i < nodes.length; i++) {
                writers[i] = nodes[i] == ShardSet.MISSING ? null : open(i);
            }
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    private ShardWriter open(int index) throws IOException {
        try {
            return router.store(nodes[index]).create(new ShardId(objectId, index));
        } catch (IOException e) {
            router.reportFailure(nodes[index], e);
            throw unavailable(index, e);
        }
    }

    /**
     * Reads the body to its end (exactly {@code length} bytes), feeding the MD5 and the shards. The body's own
     * exceptions (bad signature, checksum, client gone) propagate; the caller then aborts.
     */
    long write(InputStream body, long length, MessageDigest md5) throws IOException {
        StripeEncoder encoder = new StripeEncoder(codec, chunkSize, (stripe, chunks) -> {
            for (int i = 0; i < chunks.length; i++) {
                if (writers[i] == null) {
                    continue; // not written: its node is down and the write quorum allows it
                }
                try {
                    writers[i].write(ByteBuffer.wrap(chunks[i]));
                } catch (IOException e) {
                    router.reportFailure(nodes[i], e);
                    throw unavailable(i, e);
                }
            }
        });
        byte[] buf = new byte[READ_BUFFER];
        long total = 0;
        int n;
        while ((n = body.read(buf)) >= 0) {
            total += n;
            if (total > length) {
                throw S3Error.INVALID_REQUEST.exception("The body is longer than its declared length of " + length
                        + " bytes.");
            }
            md5.update(buf, 0, n);
            encoder.write(buf, 0, n);
        }
        if (total < length) {
            throw S3Error.INCOMPLETE_BODY.exception("The body ended after " + total + " of " + length + " bytes.");
        }
        encoder.finish();
        return total;
    }

    /** Commits every written shard in parallel; all must become durable, or this throws and the caller aborts. */
    ShardSet commit(long length) throws IOException {
        List<CompletableFuture<Void>> commits = new ArrayList<>(writers.length);
        for (int i = 0; i < writers.length; i++) {
            if (writers[i] == null) {
                continue;
            }
            int index = i;
            commits.add(CompletableFuture.runAsync(() -> {
                try {
                    writers[index].commit();
                } catch (IOException e) {
                    router.reportFailure(nodes[index], e);
                    throw new ShardFailure(unavailable(index, e));
                }
            }, executor));
        }
        for (CompletableFuture<Void> c : commits) {
            try {
                c.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while committing shards", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ShardFailure f) {
                    throw f.exception;
                }
                throw new IOException("committing shards failed", e.getCause());
            }
        }
        committed = true;
        return new ShardSet(objectId, length, codec.dataShardCount(), codec.parityShardCount(), chunkSize, nodes);
    }

    /** Discards every shard written so far (also those already committed, if the commit failed half-way). */
    void abort() {
        if (committed) {
            return;
        }
        for (int i = 0; i < writers.length; i++) {
            if (writers[i] != null) {
                writers[i].abort();
            }
        }
    }

    @Override
    public void close() {
        abort();
    }

    private NodeUnavailableException unavailable(int index, IOException cause) {
        return new NodeUnavailableException("Shard " + index + " could not be written to node " + nodes[index] + " ("
                + cause.getMessage() + "); the node may be down. Retry: new writes avoid nodes that fail.", cause);
    }

    private static final class ShardFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final IOException exception;

        ShardFailure(IOException exception) {
            super(exception.getMessage(), exception, false, false);
            this.exception = exception;
        }
    }
}
