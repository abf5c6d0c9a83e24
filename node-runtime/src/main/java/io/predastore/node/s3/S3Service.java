package io.predastore.node.s3;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.predastore.node.auth.AuthContext;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.disk.DiskBusyException;
import io.predastore.node.disk.StorageFullException;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import io.predastore.node.http.HeaderValues;
import io.predastore.node.http.RequestHeads;
import io.predastore.node.store.Backend;
import io.predastore.node.store.StorageException;
import io.predastore.node.store.UndecodableRecordException;
import io.predastore.protocol.http.ClientFaultLog;
import io.predastore.protocol.http.MalformedRequestException;
import io.predastore.protocol.http.RequestTarget;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one S3 request end to end on a worker thread: authenticate, route, dispatch to the operation, and turn
 * any failure into an S3 error response: a storage refusal through the {@link StorageErrors} table, a full disk as
 * StorageFull, a database holding writes back as SlowDown. This is the one place an unexpected exception becomes InternalError, logged with its request id.
 * Thread-safe.
 */
public final class S3Service {
    private static final Logger LOG = LoggerFactory.getLogger(S3Service.class);

    private final SigV4Verifier verifier;
    private final S3Router router;
    private final BucketOperations buckets;
    private final ObjectOperations objects;
    private final MultipartOperations multipart;
    private final ListOperations listings;
    private final AclOperations acls;
    private final String idPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16)
            .toUpperCase(Locale.ROOT);
    private final AtomicLong requestCounter = new AtomicLong();
    private final RequestObserver observer;
    private final RequestHeaderPolicy headerPolicy;
    private final ClientFaultLog faults = ClientFaultLog.of(LOG);

    /**
     * @param backend where objects live
     * @param verifier checks every request's signature
     * @param region the region this node answers for
     * @param domains host names for virtual-host-style addressing (e.g. {@code localhost})
     * @param owner the owner id shown in listings
     * @param observer told about every answered request
     */
    public S3Service(Backend backend, SigV4Verifier verifier, String region, java.util.List<String> domains,
            String owner, RequestObserver observer) {
        this.observer = observer;
        this.verifier = verifier;
        this.router = new S3Router(domains);
        this.buckets = new BucketOperations(backend, region, owner);
        this.objects = new ObjectOperations(backend);
        this.multipart = new MultipartOperations(backend, owner);
        this.listings = new ListOperations(backend, owner);
        this.acls = new AclOperations(backend, owner);
        this.headerPolicy = new RequestHeaderPolicy(owner);
    }

    RequestObserver observer() {
        return observer;
    }

    String newRequestId() {
        return idPrefix + String.format("%010X", requestCounter.incrementAndGet());
    }

    /**
     * Answers one request. The head is checked and its target parsed first, before any routing or authentication
     * work; a malformed head is answered 400 and logged as one rate-bounded line. The router and the verifier then
     * both read that one parsed target.
     */
    S3Response handle(HttpRequest http, BodyPipe pipe, String requestId, SocketAddress client) {
        RequestTarget target;
        try {
            HeaderValues.check(http.headers());
            target = RequestHeads.target(http);
        } catch (MalformedRequestException e) {
            faults.warn("malformed request", client, requestId + ": " + e.getMessage());
            return error(new S3Exception(errorFor(e.problem()), e.getMessage()), null, requestId);
        }
        String resource = null;
        String operation = "UNKNOWN";
        try {
            S3Router.Route route = router.route(http.method(), target, http.headers(), requestId);
            S3Request request = route.request();
            resource = request.resource();
            operation = route.operation().name();
            AuthContext auth = verifier.verify(http.method(), target, http.headers());
            return dispatch(route.operation(), request, auth, pipe).operation(operation);
        } catch (S3Exception e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} {} -> {} {}", requestId, http.method(), target, e.error().code(),
                        ClientFaultLog.sanitize(e.getMessage()));
            }
            return error(e, resource, requestId).operation(operation);
        } catch (StorageException e) {
            S3Exception answer = StorageErrors.toS3(e);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} {} -> {} {}", requestId, http.method(), target, answer.error().code(),
                        ClientFaultLog.sanitize(answer.getMessage()));
            }
            return error(answer, resource, requestId).operation(operation);
        } catch (StorageFullException e) {
            // Logged where the node crosses its reserve, not per refused request.
            return error(S3Error.STORAGE_FULL.exception(e.getMessage()), resource, requestId).operation(operation);
        } catch (UndecodableRecordException e) {
            // Logged once per record where it was found, not per request; only this record's requests fail.
            return error(S3Error.INTERNAL_ERROR.exception(e.getMessage()), resource, requestId).operation(operation);
        } catch (IOException e) {
            DiskBusyException busy = DiskBusyException.in(e);
            if (busy != null) {
                // Transient, and reported by the disk's health when it lasts; SDKs retry SlowDown with back-off.
                return error(S3Error.SLOW_DOWN.exception(busy.getMessage()), resource, requestId)
                        .operation(operation);
            }
            if (!pipe.isFinished() && ClientGoneException.isCause(e)) {
                faults.warn("request stopped", client, requestId + " " + http.method() + " " + target + ": "
                        + e.getMessage());
            } else {
                LOG.error("request {} {} {} from {} failed", requestId, http.method(), target, client, e);
            }
            return error(S3Error.INTERNAL_ERROR.exception(), resource, requestId).operation(operation);
        } catch (RuntimeException e) {
            LOG.error("request {} {} {} from {} failed", requestId, http.method(), target, client, e);
            return error(S3Error.INTERNAL_ERROR.exception(), resource, requestId).operation(operation);
        }
    }

    /**
     * The S3 error a malformed request head is answered with: InvalidURI (as S3 answers a key that is not UTF-8)
     * for the request-target, InvalidRequest for the Host and other headers.
     */
    static S3Error errorFor(MalformedRequestException.Problem problem) {
        return switch (problem) {
            case TARGET, ENCODING -> S3Error.INVALID_URI;
            case HOST, HEADER -> S3Error.INVALID_REQUEST;
        };
    }

    private S3Response dispatch(S3Operation op, S3Request r, AuthContext auth, BodyPipe pipe) throws IOException {
        headerPolicy.check(op, r);
        switch (op) {
            case PUT_OBJECT, COPY_OBJECT, CREATE_MULTIPART_UPLOAD -> acls.checkHeaders(r);
            case CREATE_BUCKET -> acls.checkCreateBucket(r);
            default -> {
                // no ACL headers to check
            }
        }
        return switch (op) {
            case LIST_BUCKETS -> buckets.listBuckets(r);
            case CREATE_BUCKET -> buckets.createBucket(r, RequestBodies.readXml(r, auth, pipe, true));
            case HEAD_BUCKET -> buckets.headBucket(r);
            case DELETE_BUCKET -> buckets.deleteBucket(r);
            case GET_BUCKET_LOCATION -> buckets.location(r);
            case GET_BUCKET_VERSIONING -> buckets.versioning(r);
            case GET_BUCKET_ACL -> acls.getBucketAcl(r);
            case PUT_BUCKET_ACL -> acls.putBucketAcl(r, RequestBodies.readXml(r, auth, pipe, true));
            case GET_OBJECT_ACL -> acls.getObjectAcl(r);
            case PUT_OBJECT_ACL -> acls.putObjectAcl(r, RequestBodies.readXml(r, auth, pipe, true));
            case LIST_OBJECTS -> listings.listObjectsV1(r);
            case LIST_OBJECTS_V2 -> listings.listObjectsV2(r);
            case LIST_MULTIPART_UPLOADS -> multipart.listUploads(r);
            case DELETE_OBJECTS -> objects.deleteObjects(r, RequestBodies.readXml(r, auth, pipe, false));
            case PUT_OBJECT -> objects.putObject(r, RequestBodies.stream(r, auth, pipe));
            case COPY_OBJECT -> objects.copyObject(r);
            case GET_OBJECT -> objects.getObject(r, false);
            case HEAD_OBJECT -> objects.getObject(r, true);
            case DELETE_OBJECT -> objects.deleteObject(r);
            case CREATE_MULTIPART_UPLOAD -> multipart.create(r);
            case UPLOAD_PART -> multipart.uploadPart(r, RequestBodies.stream(r, auth, pipe));
            case UPLOAD_PART_COPY -> multipart.uploadPartCopy(r);
            case COMPLETE_MULTIPART_UPLOAD -> multipart.complete(r, RequestBodies.readXml(r, auth, pipe, false));
            case ABORT_MULTIPART_UPLOAD -> multipart.abort(r);
            case LIST_PARTS -> multipart.listParts(r);
            case METHOD_NOT_ALLOWED -> throw S3Error.METHOD_NOT_ALLOWED.exception(
                    "S3 takes no " + r.method() + " request on " + r.resource() + ".");
            case NOT_IMPLEMENTED -> throw S3Error.NOT_IMPLEMENTED.exception(
                    "This operation (" + r.method() + " " + r.resource() + " with " + r.query().keySet()
                            + ") is not implemented by Predastore; see docs/s3-compatibility.md.");
        };
    }

    /** Renders an S3 error document. */
    static S3Response error(S3Exception e, String resource, String requestId) {
        S3Error err = e.error();
        S3Response r = new S3Response(HttpResponseStatus.valueOf(err.httpStatus()));
        if (err == S3Error.NOT_MODIFIED) {
            return r;
        }
        XmlWriter xml = new XmlWriter().plainRoot("Error")
                .element("Code", err.code())
                .element("Message", e.getMessage())
                .element("Resource", e.resource() != null ? e.resource() : resource)
                .element("RequestId", requestId);
        S3Response out = S3Response.xml(HttpResponseStatus.valueOf(err.httpStatus()), xml);
        if (err.httpStatus() == 503) {
            out.header("Retry-After", "1");
        }
        return out;
    }

    /**
     * Answers a request Netty's HTTP decoder could not parse (a line or the headers too long, a header name or
     * value with characters it may not have, a bad version) with a 400 InvalidRequest, and logs it as one
     * rate-bounded line. The decoder's message may quote client bytes, so it is sanitised and cut.
     *
     * @param client the peer's address for the log line, or null
     */
    S3Response malformedHttp(Throwable cause, String requestId, Object client) {
        String why = ClientFaultLog.sanitize(cause == null || cause.getMessage() == null ? String.valueOf(cause)
                : cause.getMessage());
        faults.warn("unparseable HTTP request", client, requestId + ": " + why);
        return error(S3Error.INVALID_REQUEST.exception("The HTTP request could not be parsed: " + why
                + ". Send HTTP/1.1 with CRLF line ends and no control characters in header values."), null,
                requestId);
    }

    /** The answer when every worker is busy: SlowDown, which SDKs retry with back-off, as S3 does. */
    S3Response overloaded(String requestId) {
        return error(S3Error.SLOW_DOWN.exception("The node is handling as many requests as it runs at once "
                + "(serve --max-requests); retry shortly."), null, requestId);
    }

    /** Reads a body fully and discards it; used to check and drain a body an operation does not need. */
    static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        while (in.read(buf) >= 0) {
            // discard
        }
    }
}
