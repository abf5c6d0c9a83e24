/**
 * Throughput and CPU cost of the shard transports (TLS over TCP and QUIC) on loopback, run as a plain program
 * rather than under JMH because a measurement is one long stream. Uses node-runtime's shard transport, the shard
 * store contract beneath it, and the dev certificates and trust of a local cluster.
 */
package io.predastore.bench.transport;
