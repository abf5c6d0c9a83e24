/**
 * The S3 error vocabulary of the front end: {@link io.predastore.node.error.S3Error}, the one table of S3 error
 * codes with their HTTP status and default message, and {@link io.predastore.node.error.S3Exception}, which carries
 * one of them. Authentication (SigV4 refusals, and the body failures its aws-chunked and checksum streams raise from
 * {@code read()}), the S3 endpoint and the admin API raise them. Storage never does: a backend throws a {@link
 * io.predastore.node.store.StorageException}, which the S3 endpoint maps to an S3 error in one table.
 *
 * <p>Floor 0, a leaf: uses nothing of node-runtime. It sits below {@code auth}, which needs it, rather than in
 * {@code s3}; ArchitectureTest keeps {@code store} and its backends from using it. Floors are drawn in
 * docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.error;
