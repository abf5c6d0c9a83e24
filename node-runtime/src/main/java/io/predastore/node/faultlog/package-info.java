/**
 * Logging what remote parties do wrong (malformed requests, TLS garbage, stalled connections, refused peer calls)
 * as one short, sanitised line each and at a bounded rate ({@link io.predastore.node.faultlog.ClientFaultLog}), so
 * nothing a client or a peer sends can flood the node's log.
 *
 * <p>Floor 0, a leaf: uses nothing of node-runtime. Used by the HTTP front, the trust managers, the Raft port and
 * the shard transport alike, which is why it lives in none of them. Floors are drawn in docs/architecture.md ("The
 * house") and checked by ArchitectureTest.
 */
package io.predastore.node.faultlog;
