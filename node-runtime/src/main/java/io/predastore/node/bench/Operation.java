package io.predastore.node.bench;

/**
 * What the workers do. {@code mixed} is 50% GET of a random pool object, 30% PUT overwriting a random pool
 * object, 20% ListObjectsV2 (max-keys 100) on the pool prefix.
 */
public enum Operation {
    put, get, mixed, list;

    /** Whether the timed phase reads a prepared pool of objects. */
    boolean needsPool() {
        return this != put;
    }
}
