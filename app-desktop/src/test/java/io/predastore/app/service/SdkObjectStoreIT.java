package io.predastore.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.runtime.NodeOptions;
import io.predastore.node.runtime.NodeRuntime;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The app's S3 client against a real node (filesystem backend, real HTTP socket): a cancelled upload leaves neither
 * an object nor a pending multipart upload, wherever in the transfer the cancel lands, and the client keeps working
 * afterwards.
 */
class SdkObjectStoreIT {
    private static final String BUCKET = "cancels";
    private static final String ACCESS = "AKCANCELTEST";
    private static final String SECRET = "cancel-test-secret-key";

    @TempDir
    static Path tmp;

    private static NodeRuntime node;
    private static S3Client raw;
    private static Path large;
    private static Path small;

    @BeforeAll
    static void startNode() throws Exception {
        node = NodeRuntime.start(new NodeOptions(tmp.resolve("data"), "127.0.0.1", 0, ACCESS, SECRET, "us-east-1",
                List.of(), null, null, 64));
        raw = S3Client.builder().endpointOverride(URI.create(node.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .forcePathStyle(true).build();
        raw.createBucket(b -> b.bucket(BUCKET));
        large = write(tmp.resolve("large.bin"), 40 << 20);
        small = write(tmp.resolve("small.bin"), 4 << 20);
    }

    @AfterAll
    static void stopNode() {
        if (raw != null) {
            raw.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static Path write(Path file, int size) throws Exception {
        byte[] block = new byte[1 << 20];
        new Random(size).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < size / block.length; i++) {
                out.write(block);
            }
        }
        return file;
    }

    private static SdkObjectStore service() {
        return new SdkObjectStore(URI.create(node.endpoint()), ACCESS, SECRET, "us-east-1");
    }

    @Test
    void cancellingAMultipartUploadAnywhere_leavesNoObjectAndNoPendingUpload() throws Exception {
        long[] cancelAt = {1, 3L << 20, 8L << 20, (8L << 20) + 1, 17L << 20, 30L << 20, 39L << 20};
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (SdkObjectStore s3 = service()) {
            for (long at : cancelAt) {
                String key = "multi-" + at;
                assertThatThrownBy(() -> uploadCancellingAt(pool, s3, key, large, at))
                        .as("cancel at byte %d", at).hasRootCauseInstanceOf(TransferCancelledException.class);
                assertGone(key);
            }
            // The same client still uploads after all those cancels.
            s3.upload(BUCKET, "after-cancels", small, new Transfer(Files.size(small)));
            assertThat(raw.headObject(b -> b.bucket(BUCKET).key("after-cancels")).contentLength())
                    .isEqualTo(Files.size(small));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cancellingASinglePut_leavesNoObject() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (SdkObjectStore s3 = service()) {
            for (long at : new long[] {1, 1L << 20, 4L << 20}) {
                String key = "single-" + at;
                assertThatThrownBy(() -> uploadCancellingAt(pool, s3, key, small, at))
                        .as("cancel at byte %d", at).hasRootCauseInstanceOf(TransferCancelledException.class);
                assertGone(key);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeWhenIdle_letsARunningUploadFinishThenCloses() throws Exception {
        SdkObjectStore s3 = service();
        Transfer transfer = new Transfer(Files.size(large));
        AtomicBoolean retired = new AtomicBoolean();
        transfer.onChange(() -> {
            // The browser moves to another node while this upload runs.
            if (transfer.sent() > 0 && retired.compareAndSet(false, true)) {
                s3.closeWhenIdle();
            }
        });
        s3.upload(BUCKET, "finished-after-retire", large, transfer);
        assertThat(retired).isTrue();
        assertThat(raw.headObject(b -> b.bucket(BUCKET).key("finished-after-retire")).contentLength())
                .isEqualTo(Files.size(large));
        assertThatThrownBy(s3::listBuckets).as("closed once the upload ended").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeWhenIdle_withNothingRunning_closesAtOnce() {
        SdkObjectStore s3 = service();
        assertThat(s3.listBuckets()).contains(BUCKET);
        s3.closeWhenIdle();
        assertThatThrownBy(s3::listBuckets).isInstanceOf(IllegalStateException.class);
    }

    /** Uploads on another thread, as the app does, and cancels from this listener once {@code at} bytes went. */
    private static void uploadCancellingAt(ExecutorService pool, SdkObjectStore s3, String key, Path file, long at)
            throws Exception {
        Transfer transfer = new Transfer(Files.size(file));
        transfer.onChange(() -> {
            if (transfer.sent() >= at && !transfer.cancelRequested()) {
                transfer.cancel();
            }
        });
        Future<?> f = pool.submit(() -> {
            s3.upload(BUCKET, key, file, transfer);
            return null;
        });
        f.get(60, TimeUnit.SECONDS);
    }

    private static void assertGone(String key) {
        assertThatThrownBy(() -> raw.headObject(b -> b.bucket(BUCKET).key(key)))
                .isInstanceOf(NoSuchKeyException.class);
        assertThat(raw.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).extracting(MultipartUpload::key)
                .as("pending uploads after cancelling %s", key).doesNotContain(key);
    }
}
