/**
 * A node's own credentials: its private key and certificate chain read from PEM, the TLS contexts of its HTTPS ports
 * and the cluster secret. Which peers to trust is {@code client.tls}, shared with clients.
 */
package io.predastore.node.pki;
