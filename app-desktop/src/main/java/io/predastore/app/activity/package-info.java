/**
 * The activity screen: requests per second and MB per second of every node over the last minute, from the deltas of
 * the nodes' request counters. The desktop app's package rules are checked in app-desktop's tests.
 */
package io.predastore.app.activity;
