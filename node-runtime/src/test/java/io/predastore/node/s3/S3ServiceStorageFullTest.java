package io.predastore.node.s3;

import io.predastore.node.error.S3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.predastore.node.disk.StorageFullException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A write the storage refuses for space is answered as 507 StorageFull, not as an InternalError. */
class S3ServiceStorageFullTest {

    @Test
    void handle_storageRefusesForSpace_507StorageFullWithItsMessage() {
        S3Response response = RefusingBackends.createBucket(RefusingBackends.refusingWith(new StorageFullException("Cannot create bucket photos: "
                + "this node has 3.0 MiB of free space, less than its reserve of 64.0 MiB, so it accepts no new data. "
                + StorageFullException.WHAT_TO_DO)));

        assertThat(response.status()).isEqualTo(HttpResponseStatus.INSUFFICIENT_STORAGE);
        assertThat(response.status().code()).isEqualTo(507);
        assertThat(response.operation()).isEqualTo("CREATE_BUCKET");
        assertThat(new String(response.bytes(), StandardCharsets.UTF_8))
                .contains("<Code>StorageFull</Code>")
                .contains("<Message>Cannot create bucket photos: this node has 3.0 MiB of free space")
                .contains("<Resource>/photos</Resource>")
                .contains("<RequestId>REQ1</RequestId>");
    }

    @Test
    void handle_otherStorageFailure_stillInternalError() {
        S3Response response = RefusingBackends.createBucket(RefusingBackends.refusingWith(new IOException("Input/output error")));

        assertThat(response.status().code()).isEqualTo(500);
        assertThat(new String(response.bytes(), StandardCharsets.UTF_8)).contains("<Code>InternalError</Code>")
                .doesNotContain("Input/output error");
    }

    @Test
    void storageFull_isOurOwnCodeWithStatus507() {
        assertThat(S3Error.STORAGE_FULL.code()).isEqualTo("StorageFull");
        assertThat(S3Error.STORAGE_FULL.httpStatus()).isEqualTo(507);
        assertThat(S3Error.STORAGE_FULL.defaultMessage()).contains("abort multipart uploads");
    }
}
