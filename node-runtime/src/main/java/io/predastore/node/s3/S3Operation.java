package io.predastore.node.s3;

/**
 * The closed set of S3 operations this server knows. A method that S3 never takes on the addressed resource (PATCH
 * anywhere, PUT on the service, POST on an object outside multipart uploads) becomes {@link #METHOD_NOT_ALLOWED}
 * (405, as S3 answers it); anything else the router cannot map to an implemented operation becomes
 * {@link #NOT_IMPLEMENTED}, answered with a NotImplemented error naming it.
 */
enum S3Operation {
    LIST_BUCKETS,
    CREATE_BUCKET,
    HEAD_BUCKET,
    DELETE_BUCKET,
    GET_BUCKET_LOCATION,
    GET_BUCKET_VERSIONING,
    GET_BUCKET_ACL,
    PUT_BUCKET_ACL,
    LIST_OBJECTS,
    LIST_OBJECTS_V2,
    LIST_MULTIPART_UPLOADS,
    DELETE_OBJECTS,
    PUT_OBJECT,
    COPY_OBJECT,
    GET_OBJECT,
    HEAD_OBJECT,
    DELETE_OBJECT,
    CREATE_MULTIPART_UPLOAD,
    UPLOAD_PART,
    UPLOAD_PART_COPY,
    COMPLETE_MULTIPART_UPLOAD,
    ABORT_MULTIPART_UPLOAD,
    LIST_PARTS,
    GET_OBJECT_ACL,
    PUT_OBJECT_ACL,
    METHOD_NOT_ALLOWED,
    NOT_IMPLEMENTED;

    /** Whether the operation reads a body that must be aggregated as a small XML document. */
    boolean hasXmlBody() {
        return this == CREATE_BUCKET || this == DELETE_OBJECTS || this == COMPLETE_MULTIPART_UPLOAD
                || this == PUT_BUCKET_ACL || this == PUT_OBJECT_ACL;
    }

    /** Whether the operation streams a (possibly huge) body into the backend. */
    boolean streamsBody() {
        return this == PUT_OBJECT || this == UPLOAD_PART;
    }
}
