/**
 * Records of the node admin API (JSON over HTTP), shared by the node and the desktop app. Every record is
 * immutable, checks its arguments, and reads and writes with {@link io.predastore.protocol.admin.AdminJson#MAPPER}.
 */
package io.predastore.protocol.admin;
