/**
 * AWS Signature Version 4 on the node: verifying headers, presigned URLs and aws-chunked bodies (with their
 * checksums) against the stored credentials, with the canonicalisation of {@code client.sigv4} that signers use.
 *
 * <p>Floor 8, authentication: uses foundations (http, for the one parse of the request-target), the leaves
 * (checksum, error) and the client module's signing code. Floors are drawn in docs/architecture.md ("The house")
 * and checked by ArchitectureTest.
 */
package io.predastore.node.auth;
