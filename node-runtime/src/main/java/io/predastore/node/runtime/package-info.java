/** The node's composition root: builds every part of a node in order and closes them in reverse. */
package io.predastore.node.runtime;
