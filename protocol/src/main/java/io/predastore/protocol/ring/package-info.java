/** Consistent hashing with bounded loads that maps object hashes to partitions and partitions to cluster members. */
package io.predastore.protocol.ring;
