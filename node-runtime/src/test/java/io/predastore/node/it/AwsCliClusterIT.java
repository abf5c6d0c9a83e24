package io.predastore.node.it;

/**
 * {@link AwsCliIT} against the shared five-node RS(3,2) cluster ({@link SharedCluster}): each {@code aws} command
 * goes to a randomly chosen node, so objects written through one node are read and listed through others.
 */
class AwsCliClusterIT extends AwsCliIT implements OnCluster {
}
