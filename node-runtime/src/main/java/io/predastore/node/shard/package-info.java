/** Shard storage on one node: append-only segment files with checksummed records and an index. */
package io.predastore.node.shard;
