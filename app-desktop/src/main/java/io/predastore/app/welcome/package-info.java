/**
 * The welcome screen, shown while no cluster is open: create a local dev cluster, open a cluster file, reopen a
 * remembered one, or connect to a running cluster by one node's admin endpoint. The desktop app's package rules are
 * checked in app-desktop's tests.
 */
package io.predastore.app.welcome;
