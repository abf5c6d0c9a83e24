package io.predastore.node.it;

/**
 * {@link S3CoreIT} run again against the shared five-node RS(3,2) cluster ({@link SharedCluster}): every SDK
 * request goes to a randomly chosen node.
 */
class S3CoreClusterIT extends S3CoreIT implements OnCluster {
}
