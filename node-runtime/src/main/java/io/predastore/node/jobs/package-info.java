/**
 * Background jobs of a node: schedules that survive any failure of a run, and what each job last did, for the admin
 * status.
 *
 * <p>Floor 0, a leaf: uses nothing of node-runtime, only the job status records of {@code protocol}. Floors are
 * drawn in docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.jobs;
