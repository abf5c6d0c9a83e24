/**
 * A real cluster for fault injection: every node on a network host of its own (a Linux network namespace behind a
 * bridge, {@link io.predastore.chaos.cluster.Hosts}), its processes started, killed, paused and cut off from each
 * other on demand, and its members added, removed and replaced through the admin API as an operator would
 * ({@link io.predastore.chaos.cluster.ChaosCluster}).
 */
package io.predastore.chaos.cluster;
