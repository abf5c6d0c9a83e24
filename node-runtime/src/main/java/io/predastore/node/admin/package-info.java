/**
 * The node admin API: an HTTP server answering JSON about the node, the Raft group, the ring, object placement,
 * cluster health and request counters, plus the metadata REST API (its client is {@code io.predastore.client}).
 * Every request is authenticated with AWS SigV4 and the cluster's admin credential.
 */
package io.predastore.node.admin;
