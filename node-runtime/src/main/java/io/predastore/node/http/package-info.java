/**
 * Serving HTTP/1.1 on Netty for the S3 and admin endpoints: the listening socket, event loops and worker pool, the
 * front every connection shares (connection cap, request-head deadline, in-order exchanges), and taking a request
 * head apart once, strictly, for both.
 *
 * <p>Floor 1, foundations (beside disk): uses only the leaves (faultlog). It knows nothing of S3, the admin API or
 * signatures, which build on it. Floors are drawn in docs/architecture.md ("The house") and checked by
 * ArchitectureTest.
 */
package io.predastore.node.http;
