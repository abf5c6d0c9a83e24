/**
 * The nemesis of a fault-injection run: on its own thread, at moments drawn from a seeded random, it injects a
 * fault into the cluster (kill, pause, partition, full disk, rot, wipe, loss, or a change of its members), keeps it
 * for a while, heals it, and records every fault window as a {@link io.predastore.chaos.nemesis.FaultEvent} on the
 * history's clock.
 */
package io.predastore.chaos.nemesis;
