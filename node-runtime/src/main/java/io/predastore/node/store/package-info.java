/**
 * The storage backend contract: {@link io.predastore.node.store.Backend}, the object-level operations behind the S3
 * API with typed requests, results and errors, and what every backend shares: metadata key layouts, primitives of
 * the record encodings, the multipart rules and the records found undecodable.
 *
 * <p>Floor 5, the storage contract: uses local stores (meta, for table names) and the leaves (checksum, error).
 * Never a backend: {@code store.fs} and {@code store.cluster} stand on this package, not the other way round.
 * Floors are drawn in docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.store;
