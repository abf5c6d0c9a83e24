/**
 * The S3 HTTP API: routing requests to operations, running them against a backend, rendering XML and errors. A
 * backend's refusals ({@code StorageException}) become S3 errors through one table, {@code StorageErrors}.
 *
 * <p>Floor 9, endpoints (beside admin): uses authentication, the storage contract ({@code store}), foundations
 * (http, disk) and the leaves. Never a backend implementation: the runtime hands it a {@code Backend}. Floors are
 * drawn in docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.s3;
