/** AWS Signature Version 4: verifying headers, presigned URLs and aws-chunked bodies, and signing for clients. */
package io.predastore.node.auth;
