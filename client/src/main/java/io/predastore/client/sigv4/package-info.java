/**
 * AWS Signature Version 4: credentials, the canonicalisation and key derivation the node's verifier shares, and the
 * signer for headers and presigned URLs.
 */
package io.predastore.client.sigv4;
