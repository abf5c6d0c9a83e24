/** A light S3 load generator: blocking keep-alive HTTP/1.1 workers, SigV4 signing and latency histograms. */
package io.predastore.node.bench;
