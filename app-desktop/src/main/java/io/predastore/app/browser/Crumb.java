package io.predastore.app.browser;

/** One breadcrumb: its label and the prefix it opens ("" for the bucket root). */
public record Crumb(String label, String prefix) {
}
