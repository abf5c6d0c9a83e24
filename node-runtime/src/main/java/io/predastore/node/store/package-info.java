/**
 * The storage backend contract: object-level operations with typed requests, results and storage errors.
 *
 * <h2>Errors</h2>
 * A backend refuses with a {@link io.predastore.node.store.StorageException} carrying a {@link
 * io.predastore.node.store.StorageError} that names the refusal in storage terms, never an S3 code; a full disk is a
 * {@link io.predastore.node.disk.StorageFullException}; any other {@link java.io.IOException} is the storage
 * failing. The S3 endpoint maps each {@code StorageError} to an S3 error in its one table. A failure the body stream
 * raises while a backend reads it (a bad chunk signature or checksum) is the caller's own and passes through a
 * backend untouched.
 *
 * <h2>One metadata model, two places for bytes</h2>
 * Both backends keep their metadata as ordered key-value tables with the key layouts of {@link
 * io.predastore.node.store.MetaKeys} ({@code bucket 0x00 key}, so unsigned byte order is the S3 listing order), and
 * everything that is about metadata rather than bytes is written once, in {@link io.predastore.node.store.meta}:
 * the bucket, upload, object and part records ({@code RecordCodec}, with a backend's own byte locations), ListObjects and ListMultipartUploads
 * over a {@link io.predastore.node.meta.MetaCursor}, the If-Match / If-None-Match rules and the bookkeeping
 * of CompleteMultipartUpload. A backend adds only where the bytes of an object or part live and how a commit is
 * made atomic:
 * <ul>
 *   <li>{@link io.predastore.node.store.fs} (single node): blob files named by random ids, or the bytes inline in the
 *       record; commits are synced batches of a {@link io.predastore.node.meta.LocalMetadataStore} under striped key
 *       locks, with intents and garbage so that a crash never leaks or loses a blob.</li>
 *   <li>{@link io.predastore.node.store.cluster}: erasure-coded shard sets on k + m nodes, or the bytes inline;
 *       commits are conditional batches through the replicated {@link io.predastore.node.meta.MetadataStore}, with
 *       tombstones for replaced shards.</li>
 * </ul>
 *
 * <p>Floor 5, the storage contract: uses local stores (meta, for table names) and the leaves (checksum); never
 * {@code error} or {@code s3}, a rule of its own in ArchitectureTest. Never a backend: {@code store.meta}, {@code store.fs} and {@code store.cluster} stand on this package, not the
 * other way round. Floors are drawn in docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.store;
