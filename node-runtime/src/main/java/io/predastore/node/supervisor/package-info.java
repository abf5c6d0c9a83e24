/**
 * Running a cluster of node processes on one machine: {@link io.predastore.node.supervisor.DevClusterInit} writes a
 * dev cluster (cluster file, CA, node certificates, credentials, free ports) and
 * {@link io.predastore.node.supervisor.NodeSupervisor} starts, watches and stops node processes. This package prints
 * nothing: the command line and the desktop app both build on it.
 */
package io.predastore.node.supervisor;
