/**
 * Talking to a node from outside it: {@link io.predastore.client.AdminClient}, the client of a node's admin API,
 * built on the SigV4 signer ({@code client.sigv4}) and the trust in the cluster CA ({@code client.tls}). Depends on
 * {@code protocol} and the JDK only, so the desktop app and tools can use it without the server.
 */
package io.predastore.client;
