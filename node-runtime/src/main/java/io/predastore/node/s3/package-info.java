/** The S3 HTTP API: routing requests to operations, running them against a backend, rendering XML and errors. */
package io.predastore.node.s3;
