/**
 * Free space on a node's data disk: the reserve that keeps room for the writes that free space, how running out
 * of space is recognised and answered, and the health of the RocksDB databases kept on that disk.
 */
package io.predastore.node.disk;
