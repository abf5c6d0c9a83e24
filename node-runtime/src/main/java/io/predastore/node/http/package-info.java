/**
 * Serving HTTP/1.1 on Netty for the S3 and admin endpoints: the listening socket, event loops and worker pool, the
 * front every connection shares (connection cap, request-head deadline, in-order exchanges, client-fault log), and
 * taking a request head apart once, strictly, for both.
 */
package io.predastore.node.http;
