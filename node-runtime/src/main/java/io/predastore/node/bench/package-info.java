/**
 * A light S3 load generator: blocking keep-alive HTTP/1.1 workers, SigV4 signing and latency histograms.
 *
 * <p>Floor 10, roots (beside runtime and the supervisor): uses identity (pki, to trust a cluster's CA) and reaches a
 * node only over HTTP, like any S3 client. Floors are drawn in docs/architecture.md ("The house") and checked by
 * ArchitectureTest.
 */
package io.predastore.node.bench;
