package io.predastore.protocol.shard;

import java.io.IOException;

/** The peer sent bytes that are not a valid shard frame; the connection (or stream) must be dropped. */
public final class ShardProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public ShardProtocolException(String message) {
        super(message);
    }
}
