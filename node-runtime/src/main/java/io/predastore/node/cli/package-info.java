/** The {@code predastore-node} command line: serving a node and generating load against one. */
package io.predastore.node.cli;
