/**
 * Who a node is and whom it trusts: node identities carried in certificates, trust managers that admit only the
 * nodes of the cluster, the cluster's membership as TLS sees it, reading the PEM files of the cluster's TLS
 * material, TLS contexts for the HTTPS ports, and the cluster secret that proves a request comes from the node
 * software.
 *
 * <p>Floor 2, identity: uses foundations (disk, for owner-only files) and the leaves (faultlog). Floors are drawn
 * in docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.pki;
