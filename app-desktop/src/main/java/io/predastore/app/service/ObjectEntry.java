package io.predastore.app.service;

import java.time.Instant;

/**
 * An object or a folder (common prefix, key ending in {@code /}) in a listing.
 *
 * @param key          the full key (a folder's ends with {@code /})
 * @param folder       whether it is a common prefix
 * @param size         bytes; 0 for folders
 * @param lastModified null for folders
 */
public record ObjectEntry(String key, boolean folder, long size, Instant lastModified) {
    /** The key relative to {@code prefix} (a folder keeps its trailing slash). */
    public String name(String prefix) {
        return key.startsWith(prefix) ? key.substring(prefix.length()) : key;
    }
}
