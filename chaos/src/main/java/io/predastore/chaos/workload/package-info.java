/**
 * The clients of a fault-injection run: concurrent workers sending seeded S3 operations through the AWS SDK to
 * random nodes and recording each attempt, with its outcome as the client could tell it, into the run's history.
 */
package io.predastore.chaos.workload;
