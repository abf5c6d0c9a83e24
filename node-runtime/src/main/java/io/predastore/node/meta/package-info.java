/** Cluster metadata: tables of records replicated by Raft (Apache Ratis) into RocksDB on every peer. */
package io.predastore.node.meta;
