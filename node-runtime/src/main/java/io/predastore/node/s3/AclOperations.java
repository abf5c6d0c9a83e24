package io.predastore.node.s3;

import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import io.predastore.node.store.Backend;
import io.predastore.protocol.http.ClientFaultLog;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * GetBucketAcl, PutBucketAcl, GetObjectAcl and PutObjectAcl, and the ACL headers of writes, as S3 answers them for a
 * bucket whose ACLs are disabled (object ownership "bucket owner enforced", the S3 default): every bucket and object
 * belongs to the one owner, with FULL_CONTROL, and nothing else can be granted. An ACL that says just that (the
 * canned {@code private} or {@code bucket-owner-full-control}, a full-control grant to the owner, or a policy
 * document granting the owner FULL_CONTROL) is accepted and changes nothing; any other is
 * AccessControlListNotSupported. Stateless and thread-safe.
 */
final class AclOperations {
    /** Canned ACLs that grant nothing beyond the owner's full control. */
    private static final Set<String> OWNER_ONLY = Set.of("private", "bucket-owner-full-control");
    /** The grant headers of S3; only a full-control grant to the owner is accepted. */
    private static final List<String> GRANT_HEADERS = List.of("x-amz-grant-full-control", "x-amz-grant-read",
            "x-amz-grant-read-acp", "x-amz-grant-write", "x-amz-grant-write-acp");

    private final Backend backend;
    private final String owner;

    AclOperations(Backend backend, String owner) {
        this.backend = backend;
        this.owner = owner;
    }

    S3Response getBucketAcl(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        backend.headBucket(r.bucket());
        return S3Response.xml(policy());
    }

    S3Response getObjectAcl(S3Request r) throws IOException {
        BucketNames.validate(r.bucket());
        backend.headObject(r.bucket(), r.key());
        return S3Response.xml(policy());
    }

    S3Response putBucketAcl(S3Request r, XmlReader.Node body) throws IOException {
        BucketNames.validate(r.bucket());
        backend.headBucket(r.bucket());
        checkPut(r, body);
        return S3Response.ok();
    }

    S3Response putObjectAcl(S3Request r, XmlReader.Node body) throws IOException {
        BucketNames.validate(r.bucket());
        backend.headObject(r.bucket(), r.key());
        checkPut(r, body);
        return S3Response.ok();
    }

    private XmlWriter policy() {
        XmlWriter xml = new XmlWriter().root("AccessControlPolicy");
        xml.start("Owner").element("ID", owner).element("DisplayName", owner).end();
        xml.start("AccessControlList").start("Grant")
                .startTyped("Grantee", "CanonicalUser").element("ID", owner).element("DisplayName", owner).end()
                .element("Permission", "FULL_CONTROL").end().end();
        return xml;
    }

    /** A PutBucketAcl or PutObjectAcl: an ACL in its headers or in its body, never both, never none. */
    private void checkPut(S3Request r, XmlReader.Node body) {
        boolean headers = r.header("x-amz-acl") != null
                || GRANT_HEADERS.stream().anyMatch(h -> r.header(h) != null);
        if (headers && body != null) {
            throw S3Error.INVALID_REQUEST.exception("Give the ACL either in headers (x-amz-acl or x-amz-grant-*) "
                    + "or as an AccessControlPolicy body, not both.");
        }
        if (!headers && body == null) {
            throw S3Error.MISSING_SECURITY_HEADER.exception("Give the ACL in x-amz-acl, in x-amz-grant-* headers or "
                    + "as an AccessControlPolicy body.");
        }
        if (headers) {
            checkHeaders(r);
        } else {
            checkPolicy(body);
        }
    }

    /**
     * The ACL headers of a write (PutObject, CopyObject, CreateMultipartUpload, the ACL operations): nothing, an
     * owner-only canned ACL, or a full-control grant to the owner; else AccessControlListNotSupported.
     */
    void checkHeaders(S3Request r) {
        String canned = r.header("x-amz-acl");
        if (canned != null && !OWNER_ONLY.contains(canned.trim().toLowerCase(Locale.ROOT))) {
            throw S3Error.ACCESS_CONTROL_LIST_NOT_SUPPORTED.exception("The canned ACL '"
                    + ClientFaultLog.sanitize(canned.trim()) + "' would grant access to others, and ACLs are "
                    + "disabled here: every object belongs to the bucket owner. Send x-amz-acl: private or no ACL.");
        }
        for (String header : GRANT_HEADERS) {
            String grant = r.header(header);
            if (grant != null && !(header.equals("x-amz-grant-full-control") && grantsOnlyOwner(grant))) {
                throw S3Error.ACCESS_CONTROL_LIST_NOT_SUPPORTED.exception("The " + header + " header would grant "
                        + "access to others, and ACLs are disabled here: only full control for the owner ('id=\""
                        + owner + "\"') can be given.");
            }
        }
    }

    /** CreateBucket with an ACL: only an owner-only one, as S3 answers for a bucket created with ACLs disabled. */
    void checkCreateBucket(S3Request r) {
        try {
            checkHeaders(r);
        } catch (S3Exception e) {
            throw S3Error.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP.exception(e.getMessage());
        }
    }

    /** Whether a grant header value ({@code id="..."}, comma separated) names only the owner. */
    private boolean grantsOnlyOwner(String value) {
        for (String grantee : value.split(",")) {
            String g = grantee.trim();
            int eq = g.indexOf('=');
            if (eq < 0 || !g.substring(0, eq).trim().equalsIgnoreCase("id")
                    || !ObjectHeaders.unquote(g.substring(eq + 1)).equals(owner)) {
                return false;
            }
        }
        return true;
    }

    private void checkPolicy(XmlReader.Node body) {
        if (!body.name().equals("AccessControlPolicy")) {
            throw S3Error.MALFORMED_XML.exception("Expected an AccessControlPolicy document.");
        }
        XmlReader.Node list = body.child("AccessControlList");
        List<XmlReader.Node> grants = list == null ? List.of() : list.all("Grant");
        if (grants.isEmpty()) {
            throw S3Error.ACCESS_CONTROL_LIST_NOT_SUPPORTED.exception("An ACL without the owner's FULL_CONTROL "
                    + "cannot be set: ACLs are disabled here and the owner always has full control.");
        }
        for (XmlReader.Node grant : grants) {
            XmlReader.Node grantee = grant.child("Grantee");
            String id = grantee == null ? null : grantee.childText("ID");
            if (!owner.equals(id) || !"FULL_CONTROL".equals(grant.childText("Permission"))) {
                throw S3Error.ACCESS_CONTROL_LIST_NOT_SUPPORTED.exception("The ACL grants access to someone other "
                        + "than the owner, or less than FULL_CONTROL, and ACLs are disabled here: only "
                        + "FULL_CONTROL for the owner ('" + owner + "') can be given.");
            }
        }
    }
}
