/**
 * The cluster file: one TOML file, identical on every node, that names the cluster, its erasure layout, its
 * credentials, its TLS material, every node with its ports, and the tunables every node runs with
 * ({@link io.predastore.protocol.config.TuningConfig}).
 * {@link io.predastore.protocol.config.ClusterConfigLoader} reads and validates it;
 * {@link io.predastore.protocol.config.ClusterConfigWriter} writes the same format.
 *
 * <p>Uses no other package of {@code protocol}. Like all of {@code protocol}, it uses neither the node nor the
 * desktop app, nor any server library (checked by protocol's ArchitectureTest).
 */
package io.predastore.protocol.config;
