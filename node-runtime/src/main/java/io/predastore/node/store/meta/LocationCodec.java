package io.predastore.node.store.meta;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * How a backend writes where one stretch of an object's bytes lives: a blob file on a single node, a shard set on
 * the cluster. The record codec ({@link RecordCodec}) writes everything else; this is the one part of an object or
 * part record that differs between backends.
 *
 * @param <L> the backend's location type
 */
public interface LocationCodec<L> {

    /** Writes one location. */
    void write(DataOutputStream out, L location) throws IOException;

    /** Reads what {@link #write} wrote; an {@link IOException} if it is cut short or damaged. */
    L read(DataInputStream in) throws IOException;

    /**
     * The fewest bytes one location takes, so that a damaged count is refused before anything is allocated for it.
     */
    int minBytes();
}
