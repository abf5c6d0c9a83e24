/**
 * HTTP request syntax a node and its clients share: the one strict parse of a request-target and its percent-decoding
 * (which SigV4 signing and verification both canonicalise from), and the bounded log for what a peer gets wrong.
 */
package io.predastore.protocol.http;
