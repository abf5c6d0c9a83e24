/** Serving HTTP on Netty: the listening socket, event loops and worker pool shared by the S3 and admin endpoints. */
package io.predastore.node.http;
