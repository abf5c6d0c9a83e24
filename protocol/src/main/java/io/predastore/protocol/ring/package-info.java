/**
 * Consistent hashing with bounded loads that maps object hashes to partitions and partitions to cluster members.
 *
 * <p>Uses no other package of {@code protocol}. Like all of {@code protocol}, it uses neither the node nor the
 * desktop app, nor any server library (checked by protocol's ArchitectureTest).
 */
package io.predastore.protocol.ring;
