/**
 * The report of a chaos run: availability during each kind of fault, fault totals, the one-line summary and its
 * exit code, the machine it ran on, and the timeline drawn as SVG, all computed from the history and fault log.
 */
package io.predastore.chaos.report;
