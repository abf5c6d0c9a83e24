/**
 * The node admin API: an HTTP server answering JSON about the node, the Raft group, the ring, object placement,
 * cluster health and request counters, Prometheus metrics, the metadata REST API and its one repair (its client is
 * {@code io.predastore.client}). Every request is authenticated with AWS SigV4 and the cluster's admin credential.
 *
 * <p>Floor 9, endpoints (beside s3): uses authentication, the storage contract, local stores (meta), identity
 * (pki), foundations (http, disk) and the leaves. What it tells about the running node comes through
 * {@link io.predastore.node.admin.AdminSources}, which the runtime implements, so it never uses a backend
 * implementation. Floors are drawn in docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.admin;
