package io.predastore.node.transport;

import io.predastore.node.disk.NoSpace;
import io.predastore.node.disk.StorageFullException;
import io.predastore.node.shard.NoSuchShardException;
import io.predastore.node.shard.ShardCorruptException;
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
        };
    }

    static String describe(InetSocketAddress peer) {
        return "peer " + peer.getHostString() + ":" + peer.getPort();
    }
}
