/** Who a node is in TLS: node identities carried in certificates, and trust managers that check them. */
package io.predastore.node.pki;
