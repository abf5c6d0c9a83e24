/**
 * The bucket browser: buckets, the objects and folders under a prefix, search, breadcrumbs, object details,
 * downloads, deletes, presigned links, drag and drop in both directions, and the queue of uploads with their
 * progress. The desktop app's package rules are checked in app-desktop's tests.
 */
package io.predastore.app.browser;
