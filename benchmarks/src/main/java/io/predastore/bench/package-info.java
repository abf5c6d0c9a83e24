/**
 * JMH micro-benchmarks of Predastore's hot paths (the erasure codec, its CPU cost per byte, and a memory bandwidth
 * baseline to read them against). Built on node-runtime's leaf packages only; nothing depends on this module.
 */
package io.predastore.bench;
