package io.predastore.node.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Object-level storage operations behind the S3 API, independent of HTTP. The filesystem backend implements
 * it for a single node; the distributed backend implements the same contract over the cluster.
 *
 * <p>Implementations are thread-safe. Refusals (missing bucket, failed precondition, bad digest) are thrown as
 * {@link StorageException} with a {@link StorageError}, which the caller maps to its own answer; a full disk is a
 * {@link io.predastore.node.disk.StorageFullException}; any other {@link IOException} means the storage itself
 * failed. An exception the body stream throws (the front end's own, e.g. a bad signature or checksum) passes
 * through unchanged: a backend never catches and re-wraps it. An object becomes visible only once its bytes are
 * durable and its record is committed; a body stream that throws (client gone, bad signature, bad checksum) leaves
 * nothing behind.
 */
public interface Backend extends AutoCloseable {

    /** A short name for logs and status, e.g. {@code filesystem}. */
    String type();

    /** Creates a bucket; BUCKET_ALREADY_YOURS if it exists. The name is already validated. */
    void createBucket(String bucket, String region) throws IOException;

    /** Deletes an empty bucket; NO_SUCH_BUCKET, BUCKET_NOT_EMPTY (also when multipart uploads are in progress). */
    void deleteBucket(String bucket) throws IOException;

    /** The bucket's record; NO_SUCH_BUCKET if absent. */
    BucketInfo headBucket(String bucket) throws IOException;

    /** All buckets, sorted by name. */
    List<BucketInfo> listBuckets() throws IOException;

    /**
     * Stores an object from a body of exactly {@code request.contentLength()} bytes, read to its end. The stream
     * may throw at its end (signature, checksum); that exception passes through unchanged and nothing is
     * stored. Preconditions ({@code If-Match}, {@code If-None-Match: *}) are checked atomically with the commit.
     */
    ObjectInfo putObject(PutObjectRequest request, InputStream body) throws IOException;

    /**
     * Opens the current version of an object for reading. The handle pins that version: it stays readable
     * even if the key is overwritten or deleted while it is open. NO_SUCH_BUCKET, NO_SUCH_KEY.
     */
    ObjectHandle getObject(String bucket, String key) throws IOException;

    /** The object's record without opening its data; NO_SUCH_BUCKET, NO_SUCH_KEY. */
    ObjectInfo headObject(String bucket, String key) throws IOException;

    /** Deletes an object; succeeds when the key is absent. NO_SUCH_BUCKET if the bucket is. */
    default void deleteObject(String bucket, String key) throws IOException {
        deleteObject(bucket, key, DeletePrecondition.NONE);
    }

    /**
     * Deletes an object if it satisfies {@code precondition}, checked atomically with the delete: PRECONDITION_FAILED
     * if it does not; NO_SUCH_KEY if the key is absent and an ETag is required, otherwise an absent key succeeds.
     * NO_SUCH_BUCKET if the bucket is absent.
     */
    void deleteObject(String bucket, String key, DeletePrecondition precondition) throws IOException;

    /** One page of keys and common prefixes in UTF-8 binary order. NO_SUCH_BUCKET. */
    ListObjectsResult listObjects(ListObjectsRequest request) throws IOException;

    /** Starts a multipart upload and returns its id. NO_SUCH_BUCKET. */
    String createMultipartUpload(String bucket, String key, ObjectMetadata metadata) throws IOException;

    /** Stores one part (1..10000) from a body of exactly {@code contentLength} bytes. NO_SUCH_UPLOAD. */
    PartInfo uploadPart(UploadPartRequest request, InputStream body) throws IOException;

    /**
     * Assembles the listed parts into the object, without copying their bytes when the backend can avoid it.
     * INVALID_PART, INVALID_PART_ORDER, PART_TOO_SMALL, NO_SUCH_UPLOAD, PRECONDITION_FAILED.
     */
    ObjectInfo completeMultipartUpload(CompleteMultipartUploadRequest request) throws IOException;

    /** Aborts an upload and frees its parts. NO_SUCH_UPLOAD. */
    void abortMultipartUpload(String bucket, String key, String uploadId) throws IOException;

    /** The upload's parts after {@code partNumberMarker}, at most {@code maxParts}. NO_SUCH_UPLOAD. */
    ListPartsResult listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts)
            throws IOException;

    /** Uploads in progress, ordered by key then initiation. NO_SUCH_BUCKET. */
    ListUploadsResult listMultipartUploads(ListUploadsRequest request) throws IOException;

    @Override
    void close() throws IOException;
}
