/** JMH micro-benchmarks of Predastore's hot paths (erasure codec, memory bandwidth baseline). */
package io.predastore.bench;
