/** Background jobs of a node: schedules that survive any failure of a run, and what each job last did. */
package io.predastore.node.jobs;
