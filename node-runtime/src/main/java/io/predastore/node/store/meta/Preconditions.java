package io.predastore.node.store.meta;

import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import io.predastore.node.store.WritePrecondition;

/**
 * The conditional-write rules ({@code If-None-Match: *}, {@code If-Match}) of every backend, decided against the
 * version a write would replace. A backend calls it where the commit is atomic with the check (under its lock,
 * or again inside its conditional metadata batch). Stateless and thread-safe.
 */
public final class Preconditions {
    private Preconditions() {
    }

    /**
     * Throws PreconditionFailed unless {@code p} holds.
     *
     * @param currentEtag the ETag of the version the write would replace, or null if the key is absent
     */
    public static void check(WritePrecondition p, String currentEtag, String bucket, String key) {
        if (p.isNone()) {
            return;
        }
        if (p.ifNoneMatchAny() && currentEtag != null) {
            throw new StorageException(StorageError.PRECONDITION_FAILED,
                    "Key " + key + " already exists in bucket " + bucket
                    + " and If-None-Match: * asks to create it only if absent.");
        }
        if (p.ifMatch() != null) {
            if (currentEtag == null) {
                throw new StorageException(StorageError.PRECONDITION_FAILED,
                        "Key " + key + " does not exist in bucket " + bucket
                        + " but If-Match requires ETag " + p.ifMatch() + ".");
            }
            String want = unquote(p.ifMatch());
            if (!want.equals("*") && !want.equalsIgnoreCase(currentEtag)) {
                throw new StorageException(StorageError.PRECONDITION_FAILED, "Key " + key + " has ETag " + currentEtag
                        + ", not " + want + " as If-Match requires; read it again and retry.");
            }
        }
    }

    private static String unquote(String etag) {
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }
}
