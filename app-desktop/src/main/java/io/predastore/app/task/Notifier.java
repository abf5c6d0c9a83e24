package io.predastore.app.task;

/** Shows short messages to the user (errors never as stack traces). Called on the UI thread. */
public interface Notifier {
    void error(String message);

    void info(String message);
}
