/**
 * Running a cluster of node processes on one machine: {@link io.predastore.node.supervisor.DevClusterInit} writes a
 * dev cluster (cluster file, CA, node certificates, credentials, free ports) and
 * {@link io.predastore.node.supervisor.NodeSupervisor} starts, watches and stops node processes. This package prints
 * nothing: the command line and the desktop app both build on it.
 *
 * <p>Floor 10, roots (beside runtime, whose nodes it starts as separate processes, never in its own): uses identity
 * (pki), foundations (disk) and the cluster file of {@code protocol}. Floors are drawn in docs/architecture.md
 * ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.supervisor;
