/**
 * The nodes screen: one row per node, combining the supervisor's process state with the node's admin status, with
 * intents to start, stop, restart or kill a node and the tail of its log. The desktop app's package rules are
 * checked in app-desktop's tests.
 */
package io.predastore.app.cluster;
