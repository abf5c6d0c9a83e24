/**
 * The {@code predastore-node} command line: serving a node, a cluster of node processes on this machine (init, up,
 * down, status, credentials, secret), and generating load against an endpoint.
 *
 * <p>Floor 11, commands, the top: may use every floor, and nothing uses it. Floors are drawn in
 * docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.cli;
