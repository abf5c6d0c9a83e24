package io.predastore.node.shard;

import java.util.Objects;

/**
 * Names one shard: the stored object version (or multipart part) it belongs to and its index in the placement
 * (data shards 0..k-1, then parity shards k..k+m-1).
 *
 * <p>Ids of shard sets written since nodes check who writes what start with their writer's node id:
 * {@code n<node>-<rest>} (see {@link #writerOf}); the rest is the writer's business. Older ids have no writer.
 *
 * @param objectId a cluster-unique id of the object version or part (1..128 printable ASCII chars)
 * @param index the shard index, 0..255
 */
public record ShardId(String objectId, int index) {
    public ShardId {
        Objects.requireNonNull(objectId, "objectId");
        if (objectId.isEmpty() || objectId.length() > 128) {
            throw new IllegalArgumentException("objectId must be 1..128 characters: '" + objectId + "'");
        }
        for (int i = 0; i < objectId.length(); i++) {
            char c = objectId.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("objectId must be printable ASCII without spaces: '"
                        + objectId + "'");
            }
        }
        if (index < 0 || index > 255) {
            throw new IllegalArgumentException("shard index must be 0..255: " + index);
        }
    }

    /** The prefix of ids written by {@code node}: {@code n<node>-}. */
    public static String writerPrefix(int node) {
        if (node < 1) {
            throw new IllegalArgumentException("a node id is at least 1, not " + node);
        }
        return "n" + node + "-";
    }

    /**
     * The node that wrote the shards of {@code objectId}, from its {@code n<node>-} prefix (a node id without
     * leading zeros, at most 9 digits); 0 for an id without one (written before ids named their writer).
     */
    public static int writerOf(String objectId) {
        if (objectId.length() < 3 || objectId.charAt(0) != 'n') {
            return 0;
        }
        int dash = objectId.indexOf('-');
        if (dash < 2 || dash > 10 || objectId.charAt(1) == '0') {
            return 0;
        }
        int node = 0;
        for (int i = 1; i < dash; i++) {
            char c = objectId.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            node = node * 10 + (c - '0');
        }
        return node;
    }
}
