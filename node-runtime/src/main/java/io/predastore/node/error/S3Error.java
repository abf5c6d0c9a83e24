package io.predastore.node.error;

/**
 * Every S3 error this server can answer, with its HTTP status and default message: the one table the
 * error renderer reads. Codes and statuses follow the Amazon S3 API reference.
 */
public enum S3Error {
    ACCESS_DENIED("AccessDenied", 403, "Access Denied."),
    ACCESS_CONTROL_LIST_NOT_SUPPORTED("AccessControlListNotSupported", 400,
            "ACLs are disabled: the bucket owner owns every object and only the private ACL is accepted."),
    AUTHORIZATION_HEADER_MALFORMED("AuthorizationHeaderMalformed", 400, "The authorization header is malformed."),
    AUTHORIZATION_QUERY_PARAMETERS_ERROR("AuthorizationQueryParametersError", 400,
            "The presigned query parameters are malformed."),
    BAD_DIGEST("BadDigest", 400, "The Content-MD5 or checksum you specified did not match what was received."),
    BUCKET_ALREADY_EXISTS("BucketAlreadyExists", 409,
            "The requested bucket name is not available. Select a different name and try again."),
    BUCKET_ALREADY_OWNED_BY_YOU("BucketAlreadyOwnedByYou", 409,
            "Your previous request to create the named bucket succeeded and you already own it."),
    BUCKET_NOT_EMPTY("BucketNotEmpty", 409, "The bucket you tried to delete is not empty."),
    ENTITY_TOO_LARGE("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size."),
    ENTITY_TOO_SMALL("EntityTooSmall", 400,
            "Your proposed upload is smaller than the minimum allowed object size."),
    INCOMPLETE_BODY("IncompleteBody", 400,
            "You did not provide the number of bytes specified by the Content-Length HTTP header."),
    INTERNAL_ERROR("InternalError", 500, "We encountered an internal error. Please try again."),
    INVALID_ACCESS_KEY_ID("InvalidAccessKeyId", 403,
            "The AWS access key Id you provided does not exist in our records."),
    INVALID_ARGUMENT("InvalidArgument", 400, "Invalid Argument."),
    INVALID_BUCKET_NAME("InvalidBucketName", 400, "The specified bucket is not valid."),
    INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP("InvalidBucketAclWithObjectOwnership", 400,
            "Buckets are created with ACLs disabled (the bucket owner owns every object); only the private ACL can "
                    + "be given."),
    INVALID_DIGEST("InvalidDigest", 400, "The Content-MD5 you specified is not valid."),
    INVALID_PART("InvalidPart", 400,
            "One or more of the specified parts could not be found. The part might not have been uploaded, "
                    + "or the specified entity tag might not have matched the part's entity tag."),
    INVALID_PART_NUMBER("InvalidPartNumber", 416, "The requested partnumber is not satisfiable."),
    INVALID_PART_ORDER("InvalidPartOrder", 400,
            "The list of parts was not in ascending order. Parts must be ordered by part number."),
    INVALID_RANGE("InvalidRange", 416, "The requested range is not satisfiable."),
    INVALID_REQUEST("InvalidRequest", 400, "Invalid Request."),
    INVALID_URI("InvalidURI", 400, "Couldn't parse the specified URI."),
    KEY_TOO_LONG("KeyTooLongError", 400, "Your key is too long."),
    MALFORMED_XML("MalformedXML", 400,
            "The XML you provided was not well-formed or did not validate against our published schema."),
    METHOD_NOT_ALLOWED("MethodNotAllowed", 405, "The specified method is not allowed against this resource."),
    MISSING_CONTENT_LENGTH("MissingContentLength", 411, "You must provide the Content-Length HTTP header."),
    MISSING_SECURITY_HEADER("MissingSecurityHeader", 400, "Your request is missing a required header."),
    NO_SUCH_BUCKET("NoSuchBucket", 404, "The specified bucket does not exist."),
    NO_SUCH_KEY("NoSuchKey", 404, "The specified key does not exist."),
    NO_SUCH_UPLOAD("NoSuchUpload", 404,
            "The specified multipart upload does not exist. The upload ID might be invalid, or the multipart "
                    + "upload might have been aborted or completed."),
    NOT_IMPLEMENTED("NotImplemented", 501, "A header or operation you provided implies functionality that is "
            + "not implemented."),
    NOT_MODIFIED("NotModified", 304, "Not Modified."),
    PRECONDITION_FAILED("PreconditionFailed", 412,
            "At least one of the preconditions you specified did not hold."),
    CONDITIONAL_REQUEST_CONFLICT("ConditionalRequestConflict", 409,
            "A conflicting operation occurred. If using PutObject you can retry the request."),
    REQUEST_TIME_TOO_SKEWED("RequestTimeTooSkewed", 403,
            "The difference between the request time and the server's time is too large."),
    REQUEST_TIMEOUT("RequestTimeout", 400,
            "Your socket connection to the server was not read from or written to within the timeout period."),
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503, "Please reduce your request rate."),
    SLOW_DOWN("SlowDown", 503, "Please reduce your request rate."),
    /**
     * Our own code (not Amazon's): the node, or a node the write needs, has less free space than its reserve, or
     * its disk ran out mid-write. Not retried by SDKs; it clears by itself once objects are deleted or uploads
     * aborted.
     */
    STORAGE_FULL("StorageFull", 507, "The storage is out of space for new data. Delete objects or abort multipart "
            + "uploads to free space; writes resume by themselves."),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403,
            "The request signature we calculated does not match the signature you provided. Check your key "
                    + "and signing method."),
    CONTENT_SHA256_MISMATCH("XAmzContentSHA256Mismatch", 400,
            "The provided 'x-amz-content-sha256' header does not match what was computed."),
    INVALID_CHUNK_SIZE("InvalidChunkSizeError", 403,
            "Only the last chunk is allowed to have a size less than 8192 bytes."),
    TOO_MANY_PARTS("InvalidArgument", 400, "Part number must be an integer between 1 and 10000, inclusive."),
    MAX_MESSAGE_LENGTH_EXCEEDED("MaxMessageLengthExceeded", 400, "Your request was too big."),
    METADATA_TOO_LARGE("MetadataTooLarge", 400,
            "Your metadata headers exceed the maximum allowed metadata size."),
    INVALID_LOCATION_CONSTRAINT("InvalidLocationConstraint", 400,
            "The specified location-constraint is not valid.");

    private final String code;
    private final int httpStatus;
    private final String defaultMessage;

    S3Error(String code, int httpStatus, String defaultMessage) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.defaultMessage = defaultMessage;
    }

    /** The S3 error code, e.g. {@code NoSuchKey}. */
    public String code() {
        return code;
    }

    /** The HTTP status this error is answered with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The message used when the thrower gives none. */
    public String defaultMessage() {
        return defaultMessage;
    }

    /** Creates an exception for this error with its default message. */
    public S3Exception exception() {
        return new S3Exception(this, defaultMessage);
    }

    /** Creates an exception for this error with a message that says what went wrong and what to do. */
    public S3Exception exception(String message) {
        return new S3Exception(this, message);
    }
}
