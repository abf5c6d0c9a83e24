package io.predastore.node.meta;

import io.predastore.node.disk.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files in a node's data directory that say how the node stands to the cluster's member list before its metadata
 * replica can say so:
 * <ul>
 * <li>{@code join}: written by {@code cluster add-node} before the node's first start. The node starts its Raft
 * peer outside the group and waits for the leader to add it (docs/membership.md); without it, a node with an empty
 * log would start as one of the group's first members. Removed once the node has a metadata replica.</li>
 * <li>{@code removed}: written by the node when it has been removed from the cluster, after it deleted its shards
 * and metadata. A node finding it refuses to start, saying so, rather than start as a new, empty member.</li>
 * </ul>
 */
public final class MembershipMarkers {
    private static final String JOIN = "join";
    private static final String REMOVED = "removed";

    private MembershipMarkers() {
    }

    /** The join marker of the node whose data directory is {@code dataDir}. */
    public static Path joinFile(Path dataDir) {
        return dataDir.resolve(JOIN);
    }

    /** The removed marker of the node whose data directory is {@code dataDir}. */
    public static Path removedFile(Path dataDir) {
        return dataDir.resolve(REMOVED);
    }

    /** Marks the node in {@code dataDir} (which must exist) as joining a running cluster. */
    public static void markJoining(Path dataDir) throws IOException {
        OwnerOnly.writeAtomically(joinFile(dataDir), "added to a running cluster\n".getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the node in {@code dataDir} was removed from its cluster. */
    public static boolean isRemoved(Path dataDir) {
        return Files.isRegularFile(removedFile(dataDir));
    }

    /**
     * Deletes everything in the data directory of a node removed from its cluster (its shards were all moved to
     * other members first), and leaves the removed marker saying so. Call once the node's stores are closed.
     *
     * @param why the marker's text: which cluster, at which epoch
     */
    public static void clearAfterRemoval(Path dataDir, String why) throws IOException {
        try (java.util.stream.Stream<Path> children = Files.list(dataDir)) {
            for (Path child : children.toList()) {
                RocksStateMachine.deleteRecursively(child);
            }
        }
        OwnerOnly.writeAtomically(removedFile(dataDir), (why + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the node in {@code dataDir} is to join a running cluster rather than start a new one. */
    public static boolean isJoining(Path dataDir) {
        return Files.isRegularFile(joinFile(dataDir));
    }
}
