package io.predastore.protocol.admin;

import java.util.Optional;

/**
 * Every error the admin API answers with a code of its own, with its HTTP status and default message: the one table
 * the node renders its admin error bodies ({@link AdminError}) from, and from which a client tells what an answer
 * meant (see docs/admin-api.md). Part of the admin API's contract, so it lives with its records, where the node and
 * its clients both read it. Authentication and signature failures are not here: they answer with the AWS SigV4
 * codes of the S3 error table (e.g. {@code SignatureDoesNotMatch}), so SigV4 signers and their documentation apply
 * as they are.
 */
public enum AdminErrorCode {
    BAD_REQUEST("BadRequest", 400, "The request is malformed; see docs/admin-api.md for the routes and their forms."),
    NOT_FOUND("NotFound", 404, "There is no such admin route; see docs/admin-api.md for the routes."),
    NO_SUCH_KEY("NoSuchKey", 404, "There is no such object or metadata key."),
    METHOD_NOT_ALLOWED("MethodNotAllowed", 405, "This route does not answer that method."),
    RECORD_DECODES("RecordDecodes", 409, "The record decodes; only a record that cannot be decoded is removed."),
    RECORD_CHANGED("RecordChanged", 409, "The record changed since it was read; read it again before repairing."),
    MEMBER_EXISTS("MemberExists", 409, "A member with that id or address is already in the cluster."),
    MEMBERSHIP_REFUSED("MembershipRefused", 409,
            "The member list cannot change that way now; the message says why and what to do."),
    READ_ONLY("ReadOnly", 410, "The metadata tables cannot be written through the admin API."),
    MISSING_CONTENT_LENGTH("MissingContentLength", 411, "Send the body with a Content-Length, not chunked."),
    ENTITY_TOO_LARGE("EntityTooLarge", 413, "The body is larger than the admin API takes."),
    INTERNAL_ERROR("InternalError", 500, "The node failed to answer; its log has the details."),
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503, "The node cannot answer right now; retry shortly."),
    NO_LEADER("NoLeader", 503, "The metadata group has no leader right now; retry shortly."),
    SLOW_DOWN("SlowDown", 503, "The admin API is as busy as it allows; retry shortly.");

    private final String code;
    private final int httpStatus;
    private final String defaultMessage;

    AdminErrorCode(String code, int httpStatus, String defaultMessage) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.defaultMessage = defaultMessage;
    }

    /** The code in the error body, e.g. {@code NotFound}. */
    public String code() {
        return code;
    }

    /** The HTTP status, e.g. 404. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The message when no more specific one is given. */
    public String defaultMessage() {
        return defaultMessage;
    }

    /** The entry with this code, e.g. to interpret the code of an error answer; empty for a SigV4 code. */
    public static Optional<AdminErrorCode> forCode(String code) {
        for (AdminErrorCode e : values()) {
            if (e.code.equals(code)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
