package io.predastore.protocol.http;

import java.util.Objects;

/**
 * A request head that cannot be taken apart in exactly one way: a request-target in a form this server does not
 * serve, a malformed percent-escape, a component that is not UTF-8 once decoded, a missing or conflicting Host, or a
 * header value with a control character. Thrown before any routing or authentication work; each endpoint maps
 * {@link #problem()} to its own error answer (the S3 endpoint in its error table). The message says what was wrong
 * and what to send instead; it may quote a short, sanitised part of the request.
 *
 * <p>Carries no stack trace: clients can cause any number of these, and they are answered, not investigated.
 */
public final class MalformedRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What part of the request head is malformed. */
    public enum Problem {
        /** The request-target is not origin-form or absolute-form, or has a character or escape it may not have. */
        TARGET,
        /** A percent-decoded path, query name or query value is not UTF-8. */
        ENCODING,
        /** The Host header is missing, repeated or malformed, or differs from an absolute-form target's authority. */
        HOST,
        /** A header value holds a control character. */
        HEADER
    }

    private final Problem problem;

    public MalformedRequestException(Problem problem, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** What part of the request head is malformed. */
    public Problem problem() {
        return problem;
    }
}
