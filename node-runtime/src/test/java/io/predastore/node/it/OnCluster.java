package io.predastore.node.it;

/**
 * Marks a subclass of a {@link SharedNode} suite that runs the same tests against the JVM-wide five-node RS(3,2)
 * cluster of {@link SharedCluster} instead of one node, with each request sent to a randomly chosen node.
 */
interface OnCluster {
}
