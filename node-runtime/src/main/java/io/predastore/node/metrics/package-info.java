/**
 * What a node measures about its own process beyond requests: the meters of the JVM, of Netty's allocator and event
 * loops, and of its RocksDB databases, bound to the node's one meter registry.
 */
package io.predastore.node.metrics;
