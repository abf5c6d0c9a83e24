package io.predastore.protocol.admin;

/**
 * The body of every admin API error response.
 *
 * @param code a stable code: an AWS SigV4 code such as {@code SignatureDoesNotMatch} for authentication failures,
 *     otherwise {@code NotFound}, {@code MethodNotAllowed}, {@code BadRequest}, {@code NoLeader},
 *     {@code ServiceUnavailable} or {@code InternalError}
 * @param message what went wrong and what to do
 */
public record AdminError(String code, String message) {
    public AdminError {
        Checks.nonBlank(code, "code");
        if (message == null) {
            message = "";
        }
    }
}
