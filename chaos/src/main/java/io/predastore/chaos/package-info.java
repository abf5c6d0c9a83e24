/**
 * The fault-injection run: {@link io.predastore.chaos.ChaosRun} starts a cluster, runs the workload and the nemesis
 * on one clock, settles and reads everything back, checks the history and writes the report.
 */
package io.predastore.chaos;
