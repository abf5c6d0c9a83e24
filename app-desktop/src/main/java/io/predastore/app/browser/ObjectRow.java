package io.predastore.app.browser;

/** A folder or an object in the current listing. */
public record ObjectRow(String name, String key, boolean folder, long size, String sizeText, String lastModified) {
}
