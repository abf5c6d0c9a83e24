/**
 * AWS Signature Version 4 on the node: verifying headers, presigned URLs and aws-chunked bodies against the stored
 * credentials, with the canonicalisation of {@code client.sigv4} that signers use.
 */
package io.predastore.node.auth;
