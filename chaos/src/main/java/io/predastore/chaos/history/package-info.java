/**
 * The history of a fault-injection run: every client operation with its invocation and completion times and its
 * outcome ({@link io.predastore.chaos.history.Op}), written and read as JSON lines
 * ({@link io.predastore.chaos.history.HistoryFile}), and the self-verifying object bodies that let a read say which
 * write it returns and whether its bytes are intact ({@link io.predastore.chaos.history.Bodies}).
 */
package io.predastore.chaos.history;
