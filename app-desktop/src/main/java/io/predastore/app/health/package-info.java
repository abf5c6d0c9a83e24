/**
 * The health screen: how well the cluster's objects are protected (full, degraded, at risk, unreadable), the repair
 * queue, each node's scrubber and down/lost state, the objects at risk, the main window's banner when something is
 * at risk, and the dev-cluster fault buttons. The desktop app's package rules are checked in app-desktop's tests.
 */
package io.predastore.app.health;
