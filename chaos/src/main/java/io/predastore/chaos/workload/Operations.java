package io.predastore.chaos.workload;

import io.predastore.chaos.history.Bodies;
import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Each operation of a history as one SDK request (a multipart upload as its whole sequence), timed and classified,
 * and recorded. Every method records exactly the operations it names and returns the last one. Thread-safe: the
 * state is the shared recorder and clients.
 */
final class Operations {
    /** The user metadata naming the write that stored the object, so a HEAD can tell it. */
    static final String WRITE_ID = "write-id";
    static final int PART_SIZE = 5 * 1024 * 1024;

    private final String bucket;
    private final String prefix;
    private final Recorder recorder;

    Operations(String bucket, String prefix, Recorder recorder) {
        this.bucket = bucket;
        this.prefix = prefix;
        this.recorder = recorder;
    }

    /** A PutObject, plain ({@link OpType#PUT}), if absent ({@link OpType#CREATE}) or if the ETag matches. */
    Op put(S3Client s3, String node, int worker, OpType type, String key, String writeId, int size, String ifMatch,
            String expected) {
        byte[] body = Bodies.make(key, writeId, Math.max(size, Bodies.minSize(key, writeId)));
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key)
                .metadata(Map.of(WRITE_ID, writeId));
        if (type == OpType.CREATE) {
            request.ifNoneMatch("*");
        } else if (type == OpType.REPLACE) {
            request.ifMatch(ifMatch);
        }
        Recorder.Invocation inv = recorder.invoke();
        try {
            s3.putObject(request.build(), RequestBody.fromBytes(body));
            return record(inv, worker, node, type, key, writeId, expected, Outcome.OK, null, false, null, null);
        } catch (RuntimeException e) {
            Outcomes.Classified c = Outcomes.classify(type, e);
            return record(inv, worker, node, type, key, writeId, expected, c.outcome(), null, false, null, c.error());
        }
    }

    /** A HeadObject; returns the recorded op and, when OK and present, the ETag in {@code etag[0]}. */
    Op head(S3Client s3, String node, int worker, String key, String[] etag) {
        Recorder.Invocation inv = recorder.invoke();
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key));
            etag[0] = r.eTag();
            return record(inv, worker, node, OpType.HEAD, key, null, null, Outcome.OK, writeId(r.metadata()), false,
                    null, null);
        } catch (RuntimeException e) {
            if (Outcomes.isAbsent(OpType.HEAD, e)) {
                return record(inv, worker, node, OpType.HEAD, key, null, null, Outcome.OK, null, false, null, null);
            }
            Outcomes.Classified c = Outcomes.classify(OpType.HEAD, e);
            return record(inv, worker, node, OpType.HEAD, key, null, null, c.outcome(), null, false, null,
                    c.error());
        }
    }

    /** A GetObject whose body is parsed for the write it names and checked intact. */
    Op get(S3Client s3, String node, int worker, String key) {
        Recorder.Invocation inv = recorder.invoke();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            copy(in, read);
            Bodies.Parsed parsed = Bodies.parse(key, read.toByteArray());
            return record(inv, worker, node, OpType.GET, key, null, null, Outcome.OK, parsed.writeId(),
                    !parsed.intact(), null, null);
        } catch (IOException | RuntimeException e) {
            if (Outcomes.isAbsent(OpType.GET, e)) {
                return record(inv, worker, node, OpType.GET, key, null, null, Outcome.OK, null, false, null, null);
            }
            if (checksumMismatch(e) && read.size() > 0) {
                // The whole answer arrived but disagrees with the checksum the node sent with it: a served read of
                // bytes no write produced, kept as such (corrupt) rather than hidden as a failed read.
                Bodies.Parsed parsed = Bodies.parse(key, read.toByteArray());
                return record(inv, worker, node, OpType.GET, key, null, null, Outcome.OK, parsed.writeId(), true,
                        null, null);
            }
            Outcomes.Classified c = Outcomes.classify(OpType.GET, e);
            return record(inv, worker, node, OpType.GET, key, null, null, c.outcome(), null, false, null,
                    c.error());
        }
    }

    Op delete(S3Client s3, String node, int worker, String key) {
        Recorder.Invocation inv = recorder.invoke();
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
            return record(inv, worker, node, OpType.DELETE, key, null, null, Outcome.OK, null, false, null, null);
        } catch (RuntimeException e) {
            Outcomes.Classified c = Outcomes.classify(OpType.DELETE, e);
            return record(inv, worker, node, OpType.DELETE, key, null, null, c.outcome(), null, false, null,
                    c.error());
        }
    }

    /** ListObjectsV2 of the run's prefix, every page; the op spans all pages. */
    Op list(S3Client s3, String node, int worker) {
        Recorder.Invocation inv = recorder.invoke();
        List<String> keys = new ArrayList<>();
        try {
            String token = null;
            do {
                String t = token;
                ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)
                        .continuationToken(t));
                page.contents().stream().map(S3Object::key).forEach(keys::add);
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
            return record(inv, worker, node, OpType.LIST, prefix, null, null, Outcome.OK, null, false, keys, null);
        } catch (RuntimeException e) {
            Outcomes.Classified c = Outcomes.classify(OpType.LIST, e);
            return record(inv, worker, node, OpType.LIST, prefix, null, null, c.outcome(), null, false, null,
                    c.error());
        }
    }

    /**
     * A multipart upload of {@code parts} parts (5 MiB each, the last smaller), recorded as one op from the create to
     * the complete. Only the complete can change the object, so a failure before it is FAILED; the upload is aborted
     * (best effort) whenever it does not complete. When {@code giveUp} turns true before the complete (the run is
     * stopping), the upload is abandoned the same way, so that a stop need not wait for all its parts.
     */
    Op multipart(S3Client s3, String node, int worker, String key, String writeId, int parts, int lastPartSize,
            BooleanSupplier giveUp) {
        int size = Math.max((parts - 1) * PART_SIZE + lastPartSize, Bodies.minSize(key, writeId));
        byte[] body = Bodies.make(key, writeId, size);
        Recorder.Invocation inv = recorder.invoke();
        String uploadId = null;
        boolean completing = false;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).metadata(Map.of(WRITE_ID, writeId)))
                    .uploadId();
            List<CompletedPart> done = new ArrayList<>();
            for (int n = 1; n <= parts; n++) {
                if (giveUp.getAsBoolean()) {
                    Op op = record(inv, worker, node, OpType.MULTIPART, key, writeId, null, Outcome.FAILED, null,
                            false, null, "abandoned before complete: the run is stopping");
                    abort(s3, key, uploadId);
                    return op;
                }
                int from = (n - 1) * PART_SIZE;
                int to = n == parts ? body.length : from + PART_SIZE;
                int number = n;
                String id = uploadId;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number),
                        RequestBody.fromBytes(Arrays.copyOfRange(body, from, to))).eTag();
                done.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
            }
            String id = uploadId;
            completing = true;
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id)
                    .multipartUpload(m -> m.parts(done)));
            return record(inv, worker, node, OpType.MULTIPART, key, writeId, null, Outcome.OK, null, false, null,
                    null);
        } catch (RuntimeException e) {
            Outcomes.Classified c = Outcomes.classify(OpType.MULTIPART, e);
            Outcome outcome = completing ? c.outcome() : Outcome.FAILED;
            String stage = completing ? "complete: " : "before complete: ";
            Op op = record(inv, worker, node, OpType.MULTIPART, key, writeId, null, outcome, null, false, null,
                    stage + c.error());
            abort(s3, key, uploadId);
            return op;
        }
    }

    private void abort(S3Client s3, String key, String uploadId) {
        if (uploadId == null) {
            return;
        }
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException e) {
            // Best effort: an upload left behind holds parts but never changes the object the history is about.
        }
    }

    private Op record(Recorder.Invocation inv, int worker, String node, OpType type, String key, String value,
            String expected, Outcome outcome, String observed, boolean corrupt, List<String> listed, String error) {
        Op op = new Op(inv.id(), worker, node, type, key, value, expected, inv.at(), recorder.now(), outcome,
                observed, corrupt, listed, error);
        recorder.record(op);
        return op;
    }

    private static String writeId(Map<String, String> metadata) {
        return metadata == null ? null : metadata.get(WRITE_ID);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) throws IOException {
        byte[] buf = new byte[64 * 1024];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            out.write(buf, 0, n);
        }
    }

    private static boolean checksumMismatch(Throwable e) {
        return e instanceof SdkClientException && e.getMessage() != null
                && e.getMessage().toLowerCase(Locale.ROOT).contains("checksum");
    }
}
