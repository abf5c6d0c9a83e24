package io.predastore.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class OutcomesTest {
    private static final EnumSet<OpType> WRITES = EnumSet.of(OpType.PUT, OpType.MULTIPART, OpType.CREATE,
            OpType.REPLACE, OpType.DELETE);
    private static final EnumSet<OpType> READS = EnumSet.of(OpType.GET, OpType.HEAD, OpType.LIST);

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(code)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build()).build();
    }

    private static SdkClientException client(Throwable cause) {
        return SdkClientException.builder().message("Unable to execute HTTP request").cause(cause).build();
    }

    @Test
    void classify_preconditionFailed_refusedForConditionalWritesFailedOtherwise() {
        assertThat(Outcomes.classify(OpType.CREATE, s3(412, "PreconditionFailed")).outcome())
                .isEqualTo(Outcome.REFUSED);
        assertThat(Outcomes.classify(OpType.REPLACE, s3(412, "PreconditionFailed")).outcome())
                .isEqualTo(Outcome.REFUSED);
        assertThat(Outcomes.classify(OpType.PUT, s3(412, "PreconditionFailed")).outcome())
                .isEqualTo(Outcome.FAILED);
    }

    @Test
    void classify_replaceOfADeletedKey_noSuchKeyIsRefused() {
        assertThat(Outcomes.classify(OpType.REPLACE, s3(404, "NoSuchKey")).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(Outcomes.classify(OpType.REPLACE, s3(404, "NoSuchBucket")).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(Outcomes.classify(OpType.PUT, s3(404, "NoSuchKey")).outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void classify_otherClientErrors_failedForEveryType() {
        for (OpType type : OpType.values()) {
            assertThat(Outcomes.classify(type, s3(409, "ConditionalRequestConflict")).outcome()).isEqualTo(
                    Outcome.FAILED);
            assertThat(Outcomes.classify(type, s3(403, "SignatureDoesNotMatch")).outcome()).isEqualTo(
                    Outcome.FAILED);
        }
    }

    @Test
    void classify_slowDown_failedForEveryType() {
        for (OpType type : OpType.values()) {
            assertThat(Outcomes.classify(type, s3(503, "SlowDown")).outcome()).isEqualTo(Outcome.FAILED);
        }
    }

    @Test
    void classify_serverErrorsOtherThanSlowDown_unknownForWritesFailedForReads() {
        for (S3Exception e : new S3Exception[] {s3(503, "ServiceUnavailable"), s3(500, "InternalError"),
                s3(507, "StorageFull"), s3(503, null)}) {
            WRITES.forEach(t -> assertThat(Outcomes.classify(t, e).outcome()).as(t + " " + e.statusCode())
                    .isEqualTo(Outcome.UNKNOWN));
            READS.forEach(t -> assertThat(Outcomes.classify(t, e).outcome()).as(t + " " + e.statusCode())
                    .isEqualTo(Outcome.FAILED));
        }
    }

    @Test
    void classify_timeoutsAndDroppedConnections_unknown() {
        Exception[] sent = {ApiCallTimeoutException.create(10_000),
            client(new SocketTimeoutException("Read timed out")), client(new IOException("Connection reset")), client(new RuntimeException("interrupted"))};
        for (OpType type : OpType.values()) {
            for (Exception e : sent) {
                assertThat(Outcomes.classify(type, e).outcome()).as(type + " " + e).isEqualTo(Outcome.UNKNOWN);
            }
        }
    }

    /** The HTTP client's connect timeout, as it names it (the classifier goes by that name). */
    private static final class ConnectTimeoutException extends java.io.InterruptedIOException {
        ConnectTimeoutException(String message) {
            super(message);
        }
    }

    @Test
    void classify_connectionNeverMade_failed() {
        Exception[] neverSent = {client(new ConnectException("Connection refused")),
            client(new ConnectTimeoutException("Connect to 10.0.0.3:9000 timed out")),
            client(new UnknownHostException("node3"))};
        for (OpType type : OpType.values()) {
            for (Exception e : neverSent) {
                assertThat(Outcomes.classify(type, e).outcome()).as(type + " " + e).isEqualTo(Outcome.FAILED);
            }
        }
    }

    @Test
    void isAbsent_noSuchKeyOnReadsOnly() {
        NoSuchKeyException get404 = NoSuchKeyException.builder().statusCode(404)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("NoSuchKey").build()).build();
        S3Exception head404 = (S3Exception) S3Exception.builder().statusCode(404).build();

        assertThat(Outcomes.isAbsent(OpType.GET, get404)).isTrue();
        assertThat(Outcomes.isAbsent(OpType.HEAD, head404)).isTrue();
        assertThat(Outcomes.isAbsent(OpType.GET, s3(404, "NoSuchBucket"))).isFalse();
        assertThat(Outcomes.isAbsent(OpType.DELETE, get404)).isFalse();
        assertThat(Outcomes.isAbsent(OpType.GET, s3(503, "ServiceUnavailable"))).isFalse();
    }

    @Test
    void describe_serverAnswer_statusCodeAndMessage() {
        assertThat(Outcomes.describe(s3(503, "SlowDown"))).isEqualTo("503 SlowDown: m");
        assertThat(Outcomes.describe(client(new ConnectException("refused"))))
                .contains("SdkClientException").contains("ConnectException: refused");
    }
}
