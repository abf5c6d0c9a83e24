/**
 * The metadata Raft screen: the leader, term, commit index, peers and the timeline of leader changes. The desktop
 * app's package rules are checked in app-desktop's tests.
 */
package io.predastore.app.raft;
