package io.predastore.node.s3;

import io.predastore.node.error.S3Error;
import io.predastore.protocol.http.ClientFaultLog;
import java.util.List;
import java.util.Set;

/**
 * The request headers S3 defines on the operations served here that no operation reads: each either asks for
 * something this server does not do, and is refused with NotImplemented naming it rather than silently dropped
 * (the client would believe its object encrypted, tagged or locked), or names the bucket's
 * expected owner, which is checked. Headers whose absence of effect is what S3 does or is harmless are listed in
 * docs/s3-compatibility.md instead. Stateless and thread-safe.
 */
final class RequestHeaderPolicy {
    private static final Set<S3Operation> OBJECT_WRITES = Set.of(S3Operation.PUT_OBJECT, S3Operation.COPY_OBJECT,
            S3Operation.CREATE_MULTIPART_UPLOAD);
    private static final Set<S3Operation> OBJECT_BYTES = Set.of(S3Operation.PUT_OBJECT, S3Operation.COPY_OBJECT,
            S3Operation.CREATE_MULTIPART_UPLOAD, S3Operation.UPLOAD_PART, S3Operation.UPLOAD_PART_COPY,
            S3Operation.GET_OBJECT, S3Operation.HEAD_OBJECT);
    private static final Set<S3Operation> COPIES = Set.of(S3Operation.COPY_OBJECT, S3Operation.UPLOAD_PART_COPY);

    /** A header refused on some operations, and what it would have asked for. */
    private record Refused(String header, Set<S3Operation> on, String feature) {
    }

    private static final List<Refused> REFUSED = List.of(
            new Refused("x-amz-server-side-encryption", OBJECT_WRITES, "server-side encryption"),
            new Refused("x-amz-server-side-encryption-aws-kms-key-id", OBJECT_WRITES, "server-side encryption"),
            new Refused("x-amz-server-side-encryption-customer-algorithm", OBJECT_BYTES,
                    "encryption with customer-provided keys (SSE-C)"),
            new Refused("x-amz-copy-source-server-side-encryption-customer-algorithm", COPIES,
                    "encryption with customer-provided keys (SSE-C)"),
            new Refused("x-amz-tagging", OBJECT_WRITES, "object tagging"),
            new Refused("x-amz-object-lock-mode", OBJECT_WRITES, "object lock"),
            new Refused("x-amz-object-lock-retain-until-date", OBJECT_WRITES, "object lock"),
            new Refused("x-amz-object-lock-legal-hold", OBJECT_WRITES, "object lock"),
            new Refused("x-amz-write-offset-bytes", Set.of(S3Operation.PUT_OBJECT), "appending to an object"));

    private final String owner;

    /** @param owner the id of the one owner of every bucket */
    RequestHeaderPolicy(String owner) {
        this.owner = owner;
    }

    /**
     * Checks {@code r}, routed to {@code op}, before it is served.
     *
     * @throws io.predastore.node.error.S3Exception NotImplemented naming a refused header; AccessDenied when
     *     {@code x-amz-expected-bucket-owner} (or {@code x-amz-source-expected-bucket-owner} of a copy) is not the
     *     owner, as S3 answers a bucket owned by another account
     */
    void check(S3Operation op, S3Request r) {
        for (Refused refused : REFUSED) {
            if (refused.on().contains(op) && r.header(refused.header()) != null) {
                throw S3Error.NOT_IMPLEMENTED.exception("The " + refused.header() + " header asks for "
                        + refused.feature() + ", which Predastore does not implement; send the request without it. "
                        + "See docs/s3-compatibility.md.");
            }
        }
        if (op == S3Operation.CREATE_BUCKET && "true".equalsIgnoreCase(r.header("x-amz-bucket-object-lock-enabled"))) {
            throw S3Error.NOT_IMPLEMENTED.exception("x-amz-bucket-object-lock-enabled asks for object lock, which "
                    + "Predastore does not implement; create the bucket without it.");
        }
        if (r.bucket() != null) {
            checkOwner(r.header("x-amz-expected-bucket-owner"));
        }
        if (COPIES.contains(op)) {
            checkOwner(r.header("x-amz-source-expected-bucket-owner"));
        }
    }

    private void checkOwner(String expected) {
        if (expected != null && !expected.trim().equals(owner)) {
            throw S3Error.ACCESS_DENIED.exception("The bucket is owned by '" + owner + "', not by the expected owner '"
                    + ClientFaultLog.sanitize(expected.trim()) + "'.");
        }
    }
}
