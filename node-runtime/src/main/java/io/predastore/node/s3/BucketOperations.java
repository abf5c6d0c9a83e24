package io.predastore.node.s3;

import io.predastore.node.error.S3Error;
import io.predastore.node.store.Backend;
import io.predastore.node.store.BucketInfo;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import io.predastore.protocol.http.ClientFaultLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

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

    /** ListBuckets' page size when a client pages without naming one, as S3 does. */
    static final int DEFAULT_BUCKET_PAGE = 10_000;

    /**
     * ListBuckets: every bucket, or with {@code max-buckets}, {@code continuation-token}, {@code prefix} or
     * {@code bucket-region} one page of those whose name has the prefix (and which are in that region), in name
     * order, with a {@code ContinuationToken} when more follow.
     */
    S3Response listBuckets(S3Request r) throws IOException {
        String prefix = r.param("prefix");
        String region = r.param("bucket-region");
        String token = r.param("continuation-token");
        boolean paged = r.param("max-buckets") != null || token != null || prefix != null || region != null;
        int max = paged ? DEFAULT_BUCKET_PAGE : Integer.MAX_VALUE;
        String max0 = r.param("max-buckets");
        if (max0 != null) {
            try {
                max = Integer.parseInt(max0.trim());
            } catch (NumberFormatException e) {
                max = 0;
            }
            if (max < 1 || max > DEFAULT_BUCKET_PAGE) {
                throw S3Error.INVALID_ARGUMENT.exception("max-buckets must be an integer from 1 to 10000; got '"
                        + ClientFaultLog.sanitize(max0) + "'.");
            }
        }
        String after = token == null || token.isEmpty() ? null : decodeToken(token);
        List<BucketInfo> page = new ArrayList<>();
        boolean more = false;
        for (BucketInfo b : backend.listBuckets()) {
            if (after != null && b.name().compareTo(after) <= 0
                    || prefix != null && !b.name().startsWith(prefix)
                    || region != null && !region.isEmpty() && !region.equals(b.region())) {
                continue;
            }
            if (page.size() == max) {
                more = true;
                break;
            }
            page.add(b);
        }
        XmlWriter xml = new XmlWriter().root("ListAllMyBucketsResult");
        xml.start("Owner").element("ID", owner).element("DisplayName", owner).end();
        xml.start("Buckets");
        for (BucketInfo b : page) {
            xml.start("Bucket").element("Name", b.name()).element("CreationDate", Dates.iso(b.created()))
                    .element("BucketRegion", b.region()).end();
        }
        xml.end();
        if (paged && more) {
            xml.element("ContinuationToken", encodeToken(page.get(page.size() - 1).name()));
        }
        if (prefix != null) {
            xml.element("Prefix", prefix);
        }
        return S3Response.xml(xml);
    }

    private static String encodeToken(String lastBucket) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("b1:" + lastBucket)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith("b1:") && s.length() > 3) {
                return s.substring(3);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw S3Error.INVALID_ARGUMENT.exception("The continuation token provided is incorrect.");
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
