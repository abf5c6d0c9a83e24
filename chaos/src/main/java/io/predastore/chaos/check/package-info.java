/**
 * The checker of a fault-injection history: per-key linearizability of the object register, corrupt reads and the
 * completeness of the final listings, reported as findings a human can act on. Entry point:
 * {@link io.predastore.chaos.check.Checker}.
 */
package io.predastore.chaos.check;
