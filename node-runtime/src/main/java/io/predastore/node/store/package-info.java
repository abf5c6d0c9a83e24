/** The storage backend contract: object-level operations with typed requests, results and S3 errors. */
package io.predastore.node.store;
