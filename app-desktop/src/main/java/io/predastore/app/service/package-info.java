/**
 * What the app does without a screen, with no JavaFX types: opening or creating a cluster and supervising its local
 * node processes, finding a running cluster from one admin endpoint, polling every node's admin API into immutable
 * snapshots, S3 operations for the bucket browser, and the remembered clusters. Uses {@code protocol} and, from the
 * node, the admin client, SigV4 signing, the process supervisor and the cluster's trust. The desktop app's package
 * rules are checked in app-desktop's tests.
 */
package io.predastore.app.service;
