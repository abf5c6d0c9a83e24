package io.predastore.node.store.meta;

import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.store.CompletedPart;
import io.predastore.node.store.CompositeChecksums;
import io.predastore.node.store.MultipartRules;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bookkeeping of CompleteMultipartUpload, the same on every backend: the listed parts checked against the
 * uploaded ones ({@link MultipartRules}), the object's size, its ETag (the MD5 of the parts' MD5s, then
 * {@code -N}) and composite checksum, the parts' byte locations in order, and the uploaded parts left out (whose
 * bytes the completion frees). Where the bytes live is the backend's {@code L}: blob files on a single node, shard
 * sets on the cluster. Stateless and thread-safe; a rule broken is a StorageException (INVALID_PART,
 * PART_TOO_SMALL).
 */
public final class MultipartAssembly {
    private MultipartAssembly() {
    }

    /** An uploaded part as a completion needs it: its size, ETag (hex MD5), checksum and where its bytes are. */
    public record Part<L>(long size, String etag, ChecksumValue checksum, L location) {
    }

    /**
     * The assembled object.
     *
     * @param segments the listed parts' locations, in order
     * @param unused the uploaded parts not listed, by part number, whose bytes are to be freed
     */
    public record Assembled<L>(long size, String etag, ChecksumValue checksum, List<L> segments,
            Map<Integer, L> unused) {
        public Assembled {
            segments = List.copyOf(segments);
            unused = Collections.unmodifiableMap(new TreeMap<>(unused));
        }
    }

    /**
     * Assembles {@code listed} (already checked for order, see {@link MultipartRules#checkOrder}) from the
     * {@code stored} parts of upload {@code uploadId}.
     */
    public static <L> Assembled<L> assemble(String uploadId, List<CompletedPart> listed, Map<Integer, Part<L>> stored) {
        Map<Integer, Part<L>> left = new TreeMap<>(stored);
        List<L> segments = new ArrayList<>(listed.size());
        List<ChecksumValue> checksums = new ArrayList<>(listed.size());
        MessageDigest etag = md5();
        long size = 0;
        for (int i = 0; i < listed.size(); i++) {
            CompletedPart cp = listed.get(i);
            Part<L> p = left.remove(cp.partNumber());
            MultipartRules.checkPart(uploadId, cp, p == null ? null : p.etag(), p == null ? 0 : p.size(),
                    i == listed.size() - 1);
            segments.add(p.location());
            checksums.add(p.checksum());
            etag.update(HexFormat.of().parseHex(p.etag()));
            size += p.size();
        }
        Map<Integer, L> unused = new TreeMap<>();
        left.forEach((n, p) -> unused.put(n, p.location()));
        return new Assembled<>(size, HexFormat.of().formatHex(etag.digest()) + "-" + listed.size(),
                CompositeChecksums.composite(checksums), segments, unused);
    }

    /**
     * Whether {@code current}, the version now stored at the key, is what completing upload {@code uploadId} with
     * {@code listed} made: a completion retried after its answer was lost is then answered as the first one was,
     * as S3 does, rather than NoSuchUpload. The version must name the upload and have the ETag those parts give.
     */
    public static boolean completedBy(ObjectHeader current, String uploadId, List<CompletedPart> listed) {
        if (current == null || !uploadId.equals(current.uploadId()) || listed.isEmpty()) {
            return false;
        }
        MessageDigest etag = md5();
        for (CompletedPart cp : listed) {
            try {
                etag.update(HexFormat.of().parseHex(cp.etag()));
            } catch (IllegalArgumentException notHex) {
                return false;
            }
        }
        return current.etag().equals(HexFormat.of().formatHex(etag.digest()) + "-" + listed.size());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }
}
