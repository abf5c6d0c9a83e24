/**
 * Records of the node admin API (JSON over HTTP), shared by the node and the desktop app, and the table of its
 * error codes ({@link io.predastore.protocol.admin.AdminErrorCode}). Every record is immutable, checks its
 * arguments, and reads and writes with {@link io.predastore.protocol.admin.AdminJson#MAPPER}.
 *
 * <p>Uses the ring ({@code protocol.ring}) for the ring view; no other package of {@code protocol} uses this one.
 * Like all of {@code protocol}, it uses neither the node nor the desktop app, nor any server library (checked by
 * protocol's ArchitectureTest).
 */
package io.predastore.protocol.admin;
