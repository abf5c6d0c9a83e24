package io.predastore.node.shard;

import java.util.Objects;

/**
 * Names one shard: the stored object version (or multipart part) it belongs to and its index in the placement
 * (data shards 0..k-1, then parity shards k..k+m-1).
 *
 * @param objectId an opaque, cluster-unique id of the object version or part (1..128 printable ASCII chars)
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
}
