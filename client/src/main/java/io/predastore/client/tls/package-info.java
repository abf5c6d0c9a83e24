/**
 * Trust in a cluster's CA: which certificates name a node of the cluster, used by the nodes to check each other and
 * by clients to check the node they meant to reach.
 */
package io.predastore.client.tls;
