package io.predastore.app.service;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The S3 operations the bucket browser uses. {@link SdkObjectStore} implements them against a node's S3 endpoint; tests
 * use an in-memory store. Implementations are thread-safe and block, so callers run them off the UI thread. Every
 * method throws an unchecked SDK exception or an {@link IOException} whose message says what failed.
 */
public interface ObjectStore extends AutoCloseable {
    /** Where requests go. */
    URI endpoint();

    List<String> listBuckets();

    void createBucket(String bucket);

    /**
     * Folders first, then objects, directly under {@code folder} (delimiter {@code /}) whose names start with
     * {@code search}; the listing's S3 prefix is {@code folder + search}.
     */
    List<ObjectEntry> list(String bucket, String folder, String search);

    /** Every object whose key starts with {@code prefix}, at any depth, in key order. */
    List<ObjectEntry> listRecursive(String bucket, String prefix);

    /**
     * Uploads {@code file} to {@code key}, counting bytes into {@code transfer}. Large files go as a multipart
     * upload. When the transfer is cancelled the upload is aborted (multipart: AbortMultipartUpload; an object
     * that completed meanwhile is deleted) and {@link TransferCancelledException} is thrown.
     */
    void upload(String bucket, String key, Path file, Transfer transfer) throws IOException;

    /** Downloads an object into {@code target} (replaced). */
    void download(String bucket, String key, Path target) throws IOException;

    void delete(String bucket, String key);

    /** HeadObject. */
    ObjectDetails head(String bucket, String key);

    /** A presigned GET URL valid for {@code validity}. */
    String presignGet(String bucket, String key, Duration validity);

    @Override
    void close();
}
