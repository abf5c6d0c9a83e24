/**
 * Running the app's blocking work off the FX thread as JavaFX tasks, and telling the user in one line how it went.
 */
package io.predastore.app.task;
