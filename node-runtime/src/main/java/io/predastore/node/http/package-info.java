/**
 * Serving HTTP on Netty: the listening socket, event loops and worker pool shared by the S3 and admin endpoints, and
 * taking a request head apart once, strictly, for both.
 */
package io.predastore.node.http;
