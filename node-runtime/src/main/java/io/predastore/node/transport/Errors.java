package io.predastore.node.transport;

import io.predastore.node.disk.NoSpace;
import io.predastore.node.disk.StorageFullException;
import io.predastore.node.shard.NoSuchShardException;
import io.predastore.node.shard.ShardAccessDeniedException;
import io.predastore.node.shard.ShardCorruptException;
import io.predastore.node.shard.ShardExistsException;
import io.predastore.node.shard.ShardId;
import io.predastore.protocol.shard.ShardErrorCode;
import io.predastore.protocol.shard.ShardFrame;
import java.io.IOException;
import java.net.InetSocketAddress;

/** Maps exceptions to ERROR frames (server side) and back (client side). */
final class Errors {
    private Errors() {
    }

    static ShardFrame.Error toFrame(long requestId, Throwable t) {
        ShardErrorCode code;
        if (t instanceof NoSuchShardException) {
            code = ShardErrorCode.NO_SUCH_SHARD;
        } else if (t instanceof ShardCorruptException) {
            code = ShardErrorCode.CORRUPT;
        } else if (t instanceof ShardExistsException) {
            code = ShardErrorCode.ALREADY_EXISTS;
        } else if (t instanceof ShardAccessDeniedException) {
            code = ShardErrorCode.FORBIDDEN;
        } else if (NoSpace.isCause(t)) {
            code = ShardErrorCode.STORAGE_FULL;
        } else if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
            code = ShardErrorCode.BAD_REQUEST;
        } else {
            code = ShardErrorCode.IO_ERROR;
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return new ShardFrame.Error(requestId, code, message);
    }

    static IOException toException(ShardFrame.Error error, ShardId id, InetSocketAddress peer) {
        String where = "peer " + peer.getHostString() + ":" + peer.getPort();
        return switch (error.code()) {
            case NO_SUCH_SHARD -> {
                NoSuchShardException e = new NoSuchShardException(id);
                e.initCause(new IOException(where + ": " + error.message()));
                yield e;
            }
            case CORRUPT -> new ShardCorruptException(where + ": " + error.message());
            case BAD_REQUEST -> new IOException(where + " rejected the request: " + error.message());
            case STORAGE_FULL -> new StorageFullException(where + " refused the shard: " + error.message());
            case IO_ERROR -> new IOException(where + ": " + error.message());
            case ALREADY_EXISTS -> new ShardExistsException(where + ": " + error.message());
            case FORBIDDEN -> new ShardAccessDeniedException(where + " refused " + describe(id) + " to this node: "
                    + error.message() + ". A node may only write shards in its own namespace or as the recorded"
                    + " repair, and read or delete shards a metadata record lists on that node; if the record was"
                    + " just written, retry once this node's metadata has caught up.");
        };
    }

    private static String describe(ShardId id) {
        return id == null ? "the request" : "shard " + id.index() + " of " + id.objectId();
    }

    static String describe(InetSocketAddress peer) {
        return "peer " + peer.getHostString() + ":" + peer.getPort();
    }
}
