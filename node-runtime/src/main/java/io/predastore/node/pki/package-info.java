/**
 * A node's own credentials: its private key and certificate chain read from PEM, the TLS contexts of its HTTPS
 * ports and the cluster secret that proves a request comes from the node software. Which peers to trust (node
 * identities in certificates, trust managers that admit only the cluster's nodes) is {@code client.tls}, shared
 * with clients.
 *
 * <p>Floor 2, identity: uses foundations (disk, for owner-only files), the leaves and {@code client.tls}. Floors
 * are drawn in docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.pki;
