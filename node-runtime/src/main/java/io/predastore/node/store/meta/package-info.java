/**
 * The metadata model shared by every storage backend: the bucket and upload record codecs, listing over a
 * {@link io.predastore.node.meta.MetaCursor}, conditional-write rules and multipart completion bookkeeping.
 * A backend adds only where object bytes live (blob files on a single node, shard sets on the cluster) and how its
 * commits are made atomic.
 *
 * <p>Floor 6, metadata model: uses the storage contract ({@code store}: key layouts, record primitives, requests and
 * results), local stores (meta) and the leaves (checksum); the backends stand on it. Floors are drawn in
 * docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.store.meta;
