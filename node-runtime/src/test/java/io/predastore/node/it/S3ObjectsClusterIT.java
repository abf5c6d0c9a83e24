package io.predastore.node.it;

/**
 * {@link S3ObjectsIT} run again against the shared five-node RS(3,2) cluster ({@link SharedCluster}): every SDK
 * request goes to a randomly chosen node; clients a test builds itself use one random node each.
 */
class S3ObjectsClusterIT extends S3ObjectsIT implements OnCluster {
}
