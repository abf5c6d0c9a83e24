/**
 * Scaling simulator: balance, data movement, repair time and metadata size of clusters far larger than any test
 * machine runs, computed with the product's own ring ({@code io.predastore.protocol.ring.Ring}) and record encoders,
 * with no node processes and no network. Run as {@code ScaleSimulator}; the results are discussed in
 * {@code docs/scaling.md}.
 */
package io.predastore.bench.scale;
