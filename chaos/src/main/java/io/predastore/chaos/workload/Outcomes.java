package io.predastore.chaos.workload;

import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The one table from how an SDK request failed to the {@link Outcome} it is recorded with, following the outcome
 * definitions: a write is {@link Outcome#FAILED} only when the request certainly had no effect (the server refused
 * it with a 4xx, or with 503 SlowDown, which a node answers from admission before doing anything, or the
 * connection was never made), {@link Outcome#UNKNOWN} for anything after the request may have been sent (timeouts,
 * dropped connections, any other 5xx, including 503 ServiceUnavailable, which a metadata timeout can answer after a
 * change committed). Stateless and thread-safe.
 */
final class Outcomes {
    private static final int MAX_ERROR = 300;

    private Outcomes() {
    }

    /** An outcome with the error text recorded for it (null when nothing went wrong). */
    record Classified(Outcome outcome, String error) {
    }

    /** Whether {@code e} is the server saying the object is absent, which a GET or HEAD records as OK. */
    static boolean isAbsent(OpType type, Throwable e) {
        if (!(e instanceof SdkServiceException s) || s.statusCode() != 404 || !type.reads()) {
            return false;
        }
        // A HEAD answer has no body, so no error code: its 404 is the object's absence (the bucket outlives the run).
        String code = code(e);
        return type == OpType.HEAD ? code == null || "NoSuchKey".equals(code) : "NoSuchKey".equals(code);
    }

    /** How an operation of {@code type} that ended in {@code e} is recorded. */
    static Classified classify(OpType type, Throwable e) {
        if (e instanceof SdkServiceException s) {
            return new Classified(serverOutcome(type, s.statusCode(), code(e)), describe(e));
        }
        if (neverConnected(e)) {
            return new Classified(Outcome.FAILED, describe(e));
        }
        return new Classified(Outcome.UNKNOWN, describe(e));
    }

    /** The outcome of a server's error answer with {@code status} and S3 error {@code code} (null if none). */
    static Outcome serverOutcome(OpType type, int status, String code) {
        if (status == 412 && (type == OpType.CREATE || type == OpType.REPLACE)) {
            return Outcome.REFUSED;
        }
        if (status == 404 && "NoSuchKey".equals(code) && type == OpType.REPLACE) {
            // If-Match found no object at all (deleted since the HEAD), answered as S3 does: refused all the same.
            return Outcome.REFUSED;
        }
        if (status >= 400 && status < 500) {
            return Outcome.FAILED;
        }
        if (!type.writes()) {
            return Outcome.FAILED;
        }
        return status == 503 && "SlowDown".equals(code) ? Outcome.FAILED : Outcome.UNKNOWN;
    }

    /** Whether the failure happened while connecting, so that no byte of the request was sent. */
    private static boolean neverConnected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException
                    // The HTTP client's connect timeout, named rather than imported: its library is the SDK's
                    // choice of transport, not an API of ours.
                    || t.getClass().getSimpleName().equals("ConnectTimeoutException")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String code(Throwable e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().errorCode();
        }
        return null;
    }

    /** A short text for the report: status and code of a server answer, else the exception and its root cause. */
    static String describe(Throwable e) {
        String text;
        if (e instanceof SdkServiceException s) {
            String code = code(e);
            String message = e instanceof AwsServiceException a && a.awsErrorDetails() != null
                    ? a.awsErrorDetails().errorMessage() : null;
            text = s.statusCode() + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message);
        } else {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            text = e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (root == e ? "" : " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")");
        }
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR) + "...";
    }
}
