package io.predastore.node.store.meta;

import io.predastore.node.store.DeletePrecondition;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import io.predastore.node.store.WritePrecondition;
import java.time.temporal.ChronoUnit;

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
                // As S3 answers it: there is no version to compare with.
                throw new StorageException(StorageError.NO_SUCH_KEY,
                        "Key " + key + " does not exist in bucket " + bucket
                        + " but If-Match requires ETag " + p.ifMatch() + ".", "/" + bucket + "/" + key, null);
            }
            String want = unquote(p.ifMatch());
            if (!want.equals("*") && !want.equalsIgnoreCase(currentEtag)) {
                throw new StorageException(StorageError.PRECONDITION_FAILED, "Key " + key + " has ETag " + currentEtag
                        + ", not " + want + " as If-Match requires; read it again and retry.");
            }
        }
    }

    /**
     * Whether a delete under {@code p} goes ahead: false when the key is absent and nothing is required of it (the
     * delete then succeeds with nothing to do).
     *
     * @param current the header of the version the delete would remove, or null if the key is absent
     * @throws StorageException NO_SUCH_KEY when the key is absent and an ETag is required; PRECONDITION_FAILED when
     *     the version does not match
     */
    public static boolean checkDelete(DeletePrecondition p, ObjectHeader current, String bucket, String key) {
        if (current == null) {
            if (p.ifMatch() != null) {
                throw new StorageException(StorageError.NO_SUCH_KEY, "Key " + key + " does not exist in bucket "
                        + bucket + " but If-Match requires ETag " + p.ifMatch() + ".", "/" + bucket + "/" + key,
                        null);
            }
            return false;
        }
        if (p.ifMatch() != null) {
            String want = unquote(p.ifMatch());
            if (!want.equals("*") && !want.equalsIgnoreCase(current.etag())) {
                throw new StorageException(StorageError.PRECONDITION_FAILED, "Key " + key + " has ETag "
                        + current.etag() + ", not " + want + " as If-Match requires; it was not deleted.");
            }
        }
        if (p.lastModified() != null && !current.lastModified().truncatedTo(ChronoUnit.SECONDS)
                .equals(p.lastModified().truncatedTo(ChronoUnit.SECONDS))) {
            throw new StorageException(StorageError.PRECONDITION_FAILED, "Key " + key + " was last modified at "
                    + current.lastModified().truncatedTo(ChronoUnit.SECONDS) + ", not at "
                    + p.lastModified().truncatedTo(ChronoUnit.SECONDS) + " as required; it was not deleted.");
        }
        if (p.size() != null && current.size() != p.size()) {
            throw new StorageException(StorageError.PRECONDITION_FAILED, "Key " + key + " is " + current.size()
                    + " bytes long, not " + p.size() + " as required; it was not deleted.");
        }
        return true;
    }

    private static String unquote(String etag) {
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }
}
