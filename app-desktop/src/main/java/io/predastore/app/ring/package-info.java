/**
 * The ring screen: every member's virtual-node tokens on the placement ring, each member's load and liveness, and
 * the shards of a chosen object linked to the nodes that hold them. The desktop app's package rules are checked in
 * app-desktop's tests.
 */
package io.predastore.app.ring;
