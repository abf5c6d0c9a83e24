/**
 * The desktop app's root: the JavaFX application that builds the services, view models and views and closes them on
 * exit, the main window around the screens, the theme, notifications, the exit dialog, running blocking work off
 * the UI thread, and the headless self-test. The desktop app's package rules are checked in app-desktop's tests.
 */
package io.predastore.app;
