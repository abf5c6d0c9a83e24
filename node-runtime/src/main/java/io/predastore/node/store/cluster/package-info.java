/**
 * The distributed backend: objects erasure-coded into shards on the nodes the placement ring picks, their
 * records replicated by the metadata store.
 */
package io.predastore.node.store.cluster;
