package io.predastore.node.store.cluster;

import io.predastore.node.disk.NoSpace;
import io.predastore.node.disk.StorageFullException;
import io.predastore.node.erasure.ReedSolomon;
import io.predastore.node.erasure.StripeEncoder;
import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardWriter;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one body into the k + m shards of a new {@link ShardSet} (those placed on a node; a shard placed
 * {@link ShardSet#MISSING} is skipped): stripes are encoded and sent to their nodes
 * while the body is still arriving, so memory stays at a stripe per request whatever the size. The CRC32C of every
 * encoded chunk, of every shard whether written or not, is computed here as it is sent and kept in the set, so
 * reads can check what shard servers return against what this gateway gave them. Not thread-safe; one per write.
 */
final class ShardSetWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardSetWriter.class);
    private static final int READ_BUFFER = 64 * 1024;

    private final ShardRouter router;
    private final ReedSolomon codec;
    private final int chunkSize;
    private final String objectId;
    private final int[] nodes;
    private final ShardWriter[] writers;
    /** Which writers committed; set by the commit tasks, read once they have all finished. */
    private final boolean[] committedShards;
    private final Executor executor;
    /** What entitles this node to create the shards on their nodes: none for a new set, its repair entry else. */
    private final ShardWarrant warrant;
    /** What entitles it to delete shards it committed, should the set fail: a tombstone, or the repair entry. */
    private final ShardWarrant deleteWarrant;
    private final CRC32C crc = new CRC32C();
    private int[] chunkCrcs = new int[0];
    private int crcCount;
    private boolean committed;
    private boolean aborted;

    ShardSetWriter(ShardRouter router, ReedSolomon codec, int chunkSize, String objectId, int[] nodes,
            Executor executor) throws IOException {
        this(router, codec, chunkSize, objectId, nodes, executor, ShardWarrant.NONE, ShardWarrant.NONE);
    }

    /**
     * A writer whose shards are created under {@code warrant} ({@link ShardWarrant#NONE} for a new set in this
     * node's namespace, the set's repair entry for rebuilt shards) and, if the set fails after some were committed,
     * deleted under {@code deleteWarrant} (a tombstone the caller commits for the set first, or the repair entry).
     */
    ShardSetWriter(ShardRouter router, ReedSolomon codec, int chunkSize, String objectId, int[] nodes,
            Executor executor, ShardWarrant warrant, ShardWarrant deleteWarrant) throws IOException {
        this.warrant = warrant;
        this.deleteWarrant = deleteWarrant;
        this.router = router;
        this.codec = codec;
        this.chunkSize = chunkSize;
        this.objectId = objectId;
        this.nodes = nodes.clone();
        this.executor = executor;
        this.writers = new ShardWriter[nodes.length];
        this.committedShards = new boolean[nodes.length];
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
            return router.store(nodes[index]).create(new ShardId(objectId, index), warrant);
        } catch (IOException e) {
            router.reportFailure(nodes[index], e);
            throw failure(index, e);
        }
    }

    /**
     * Reads the body to its end (exactly {@code length} bytes), feeding the MD5 and the shards. The body's own
     * exceptions (bad signature, checksum, client gone) propagate; the caller then aborts.
     */
    long write(InputStream body, long length, MessageDigest md5) throws IOException {
        StripeEncoder encoder = new StripeEncoder(codec, chunkSize, (stripe, chunks) -> {
            recordCrcs(chunks);
            for (int i = 0; i < chunks.length; i++) {
                if (writers[i] == null) {
                    continue; // not written: its node is down and the write quorum allows it
                }
                try {
                    writers[i].write(ByteBuffer.wrap(chunks[i]));
                } catch (IOException e) {
                    router.reportFailure(nodes[i], e);
                    throw failure(i, e);
                }
            }
        });
        byte[] buf = new byte[READ_BUFFER];
        long total = 0;
        int n;
        while ((n = body.read(buf)) >= 0) {
            total += n;
            if (total > length) {
                throw new StorageException(StorageError.BODY_TOO_LONG,
                        "The body is longer than its declared length of " + length
                        + " bytes.");
            }
            md5.update(buf, 0, n);
            encoder.write(buf, 0, n);
        }
        if (total < length) {
            throw new StorageException(StorageError.BODY_INCOMPLETE,
                    "The body ended after " + total + " of " + length + " bytes.");
        }
        encoder.finish();
        return total;
    }

    private void recordCrcs(byte[][] chunks) {
        if (crcCount + chunks.length > chunkCrcs.length) {
            chunkCrcs = Arrays.copyOf(chunkCrcs, Math.max(16, 2 * (crcCount + chunks.length)));
        }
        for (byte[] chunk : chunks) {
            crc.reset();
            crc.update(chunk, 0, chunk.length);
            chunkCrcs[crcCount++] = (int) crc.getValue();
        }
    }

    /** The CRC32C of every chunk encoded so far, stripe by stripe (see {@link ShardSet#chunkCrcs()}). */
    int[] chunkCrcs() {
        return Arrays.copyOf(chunkCrcs, crcCount);
    }

    /**
     * Commits every written shard in parallel; all must become durable, or this throws and the caller aborts. It
     * returns only once every commit it started has finished, failed ones included: a shard writer is not
     * thread-safe, and aborting one while its commit still runs on another thread would leave it half committed
     * (a local one could even go back to its store's segment pool twice).
     */
    ShardSet commit(long length) throws IOException {
        List<CompletableFuture<Void>> commits = new ArrayList<>(writers.length);
        Throwable failure = null;
        for (int i = 0; i < writers.length && failure == null; i++) {
            if (writers[i] == null) {
                continue;
            }
            int index = i;
            try {
                commits.add(CompletableFuture.runAsync(() -> {
                    try {
                        writers[index].commit();
                        committedShards[index] = true;
                    } catch (IOException e) {
                        router.reportFailure(nodes[index], e);
                        throw new ShardFailure(failure(index, e));
                    }
                }, executor));
            } catch (RuntimeException e) {
                failure = e; // e.g. the executor shuts down: the commits already started are still awaited
            }
        }
        for (CompletableFuture<Void> c : commits) {
            try {
                c.join();
            } catch (CompletionException | CancellationException e) {
                if (failure == null) {
                    failure = e.getCause() == null ? e : e.getCause();
                }
            }
        }
        if (failure instanceof ShardFailure f) {
            throw f.exception;
        }
        if (failure != null) {
            throw new IOException("committing shards failed", failure);
        }
        committed = true;
        return new ShardSet(objectId, length, codec.dataShardCount(), codec.parityShardCount(), chunkSize, nodes,
                chunkCrcs());
    }

    /**
     * Discards every shard written so far: aborts the open writers and deletes the shards already committed if the
     * commit failed half-way (nothing refers to them, so they would otherwise stay on their nodes for good). A shard
     * whose node cannot be reached for the delete stays. Idempotent.
     */
    void abort() {
        if (committed || aborted) {
            return;
        }
        aborted = true;
        for (int i = 0; i < writers.length; i++) {
            if (writers[i] == null) {
                continue;
            }
            if (!committedShards[i]) {
                writers[i].abort();
                continue;
            }
            try {
                router.store(nodes[i]).delete(new ShardId(objectId, i), deleteWarrant);
            } catch (IOException | RuntimeException e) {
                LOG.debug("shard {} of {}, committed before its set failed, not deleted from node {}: {}", i,
                        objectId, nodes[i], e.toString());
            }
        }
    }

    @Override
    public void close() {
        abort();
    }

    /**
     * Why shard {@code index} could not be written: its node is out of space (answered 507, not retried), or it may
     * be down (503, retried elsewhere).
     */
    private IOException failure(int index, IOException cause) {
        if (NoSpace.isCause(cause)) {
            return new StorageFullException("Node " + nodes[index] + " is out of space for new data, so the object "
                    + "was not stored (" + cause.getMessage() + "). " + StorageFullException.WHAT_TO_DO, cause);
        }
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
