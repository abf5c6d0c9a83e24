/** The node's files on disk kept private: owner-only directories and files, written atomically. */
package io.predastore.node.disk;
