package io.predastore.node.s3;

import io.predastore.node.error.S3Error;
import io.predastore.node.store.Backend;
import io.predastore.node.store.BucketInfo;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import java.io.IOException;

/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, GetBucketVersioning. */
final class BucketOperations {

    private final Backend backend;
    private final String region;
    private final String owner;

    BucketOperations(Backend backend, String region, String owner) {
        this.backend = backend;
        this.region = region;
        this.owner = owner;
    }

    S3Response listBuckets() throws IOException {
        XmlWriter xml = new XmlWriter().root("ListAllMyBucketsResult");
        xml.start("Owner").element("ID", owner).element("DisplayName", owner).end();
        xml.start("Buckets");
        for (BucketInfo b : backend.listBuckets()) {
            xml.start("Bucket").element("Name", b.name()).element("CreationDate", Dates.iso(b.created()))
                    .element("BucketRegion", b.region()).end();
        }
        xml.end();
        return S3Response.xml(xml);
    }

    /** The region where re-creating an owned bucket answers 200 rather than BucketAlreadyOwnedByYou. */
    static final String LEGACY_REGION = "us-east-1";

    S3Response createBucket(S3Request r, XmlReader.Node config) throws IOException {
        BucketNames.validate(r.bucket());
        if (config != null) {
            if (!config.name().equals("CreateBucketConfiguration")) {
                throw S3Error.MALFORMED_XML.exception("Expected a CreateBucketConfiguration document.");
            }
            String location = config.childText("LocationConstraint");
            if (location != null && !location.isEmpty() && !location.equals(region)) {
                throw S3Error.INVALID_LOCATION_CONSTRAINT.exception("This node serves region '" + region
                        + "'; the LocationConstraint '" + location + "' cannot be created here.");
            }
        }
        try {
            backend.createBucket(r.bucket(), region);
        } catch (StorageException e) {
            // As S3 does in us-east-1 (for legacy compatibility), re-creating a bucket you own there succeeds; every
            // other region answers BucketAlreadyOwnedByYou. It also makes a retried create idempotent.
            if (e.error() != StorageError.BUCKET_ALREADY_YOURS || !LEGACY_REGION.equals(region)) {
                throw e;
            }
        }
        return S3Response.ok().header("Location", "/" + r.bucket());
    }

    S3Response headBucket(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        BucketInfo info = backend.headBucket(r.bucket());
        return S3Response.ok().header("x-amz-bucket-region", info.region());
    }

    S3Response deleteBucket(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        backend.deleteBucket(r.bucket());
        return S3Response.noContent();
    }

    S3Response location(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        BucketInfo info = backend.headBucket(r.bucket());
        XmlWriter xml = new XmlWriter().root("LocationConstraint");
        // us-east-1 is answered as an empty constraint, as S3 does.
        String text = "us-east-1".equals(info.region()) ? "" : info.region();
        return S3Response.xml(xml.elementText(text));
    }

    S3Response versioning(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        backend.headBucket(r.bucket());
        return S3Response.xml(new XmlWriter().root("VersioningConfiguration"));
    }
}
