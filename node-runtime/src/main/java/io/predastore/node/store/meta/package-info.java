/**
 * The metadata model shared by every storage backend: the bucket and upload record codecs, listing over a
 * {@link io.predastore.node.store.meta.MetaCursor}, conditional-write rules and multipart completion bookkeeping.
 * A backend adds only where object bytes live (blob files on a single node, shard sets on the cluster) and how its
 * commits are made atomic.
 */
package io.predastore.node.store.meta;
