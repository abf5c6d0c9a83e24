/**
 * The cluster file: one TOML file, identical on every node, that names the cluster, its erasure layout, its
 * credentials, its TLS material and every node with its ports. {@link io.predastore.protocol.config.ClusterConfigLoader}
 * reads and validates it; {@link io.predastore.protocol.config.ClusterConfigWriter} writes the same format.
 */
package io.predastore.protocol.config;
