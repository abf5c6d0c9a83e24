/**
 * The error vocabulary every layer of a node speaks: {@link io.predastore.node.error.S3Error}, the one table of S3
 * error codes with their HTTP status and default message, and {@link io.predastore.node.error.S3Exception}, which
 * carries one of them. The backends implement S3 semantics, so what they refuse is said in S3's terms; keeping the
 * table here lets the storage, authentication and admin packages raise those errors without depending on the S3
 * front end that renders them.
 *
 * <p>Floor 0, a leaf: uses nothing of node-runtime, and every floor may use it. Floors are drawn in
 * docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.error;
