/**
 * AWS Signature Version 4: verifying headers, presigned URLs and aws-chunked bodies (with their checksums), signing
 * for clients, and the credentials they use.
 *
 * <p>Floor 7, authentication: uses foundations (http, for the one parse of the request-target) and the leaves
 * (checksum, error). Floors are drawn in docs/architecture.md ("The house") and checked by ArchitectureTest.
 */
package io.predastore.node.auth;
