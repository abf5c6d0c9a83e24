/**
 * The error vocabulary every layer of a node speaks: {@link io.predastore.node.error.S3Error}, the one table of S3
 * error codes with their HTTP status and default message, and {@link io.predastore.node.error.S3Exception}, which
 * carries one of them. The backends implement S3 semantics, so what they refuse is said in S3's terms; keeping the
 * table in this leaf package (it uses nothing of the project) lets the storage, authentication and admin layers
 * raise those errors without depending on the S3 front end that renders them.
 */
package io.predastore.node.error;
