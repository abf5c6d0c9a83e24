package io.predastore.node.store.cluster;

import io.predastore.node.store.Backend;
import io.predastore.node.store.BucketInfo;
import io.predastore.node.store.CompleteMultipartUploadRequest;
import io.predastore.node.store.DeletePrecondition;
import io.predastore.node.store.ListObjectsRequest;
import io.predastore.node.store.ListObjectsResult;
import io.predastore.node.store.ListPartsResult;
import io.predastore.node.store.ListUploadsRequest;
import io.predastore.node.store.ListUploadsResult;
import io.predastore.node.store.ObjectHandle;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.PartInfo;
import io.predastore.node.store.PutObjectRequest;
import io.predastore.node.store.UploadPartRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** A backend that also closes the stores it was built on, so the contract test's reopen restarts everything. */
final class ClosingBackend implements Backend {
    interface Closer {
        void close() throws IOException;
    }

    private final Backend inner;
    private final Closer closer;

    /** The backend this one closes. */
    Backend inner() {
        return inner;
    }

    ClosingBackend(Backend inner, Closer closer) {
        this.inner = inner;
        this.closer = closer;
    }

    @Override
    public String type() {
        return inner.type();
    }

    @Override
    public void createBucket(String bucket, String region) throws IOException {
        inner.createBucket(bucket, region);
    }

    @Override
    public void deleteBucket(String bucket) throws IOException {
        inner.deleteBucket(bucket);
    }

    @Override
    public BucketInfo headBucket(String bucket) throws IOException {
        return inner.headBucket(bucket);
    }

    @Override
    public List<BucketInfo> listBuckets() throws IOException {
        return inner.listBuckets();
    }

    @Override
    public ObjectInfo putObject(PutObjectRequest request, InputStream body) throws IOException {
        return inner.putObject(request, body);
    }

    @Override
    public ObjectHandle getObject(String bucket, String key) throws IOException {
        return inner.getObject(bucket, key);
    }

    @Override
    public ObjectInfo headObject(String bucket, String key) throws IOException {
        return inner.headObject(bucket, key);
    }

    @Override
    public void deleteObject(String bucket, String key, DeletePrecondition precondition) throws IOException {
        inner.deleteObject(bucket, key, precondition);
    }

    @Override
    public ListObjectsResult listObjects(ListObjectsRequest request) throws IOException {
        return inner.listObjects(request);
    }

    @Override
    public String createMultipartUpload(String bucket, String key, ObjectMetadata metadata) throws IOException {
        return inner.createMultipartUpload(bucket, key, metadata);
    }

    @Override
    public PartInfo uploadPart(UploadPartRequest request, InputStream body) throws IOException {
        return inner.uploadPart(request, body);
    }

    @Override
    public ObjectInfo completeMultipartUpload(CompleteMultipartUploadRequest request) throws IOException {
        return inner.completeMultipartUpload(request);
    }

    @Override
    public void abortMultipartUpload(String bucket, String key, String uploadId) throws IOException {
        inner.abortMultipartUpload(bucket, key, uploadId);
    }

    @Override
    public ListPartsResult listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts)
            throws IOException {
        return inner.listParts(bucket, key, uploadId, partNumberMarker, maxParts);
    }

    @Override
    public ListUploadsResult listMultipartUploads(ListUploadsRequest request) throws IOException {
        return inner.listMultipartUploads(request);
    }

    @Override
    public void close() throws IOException {
        inner.close();
        closer.close();
    }
}
