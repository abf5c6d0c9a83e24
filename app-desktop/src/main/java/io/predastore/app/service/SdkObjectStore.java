package io.predastore.app.service;

import io.predastore.client.tls.ClusterTrust;
import io.predastore.client.tls.Membership;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * S3 operations against one node's endpoint with the AWS SDK v2 (path-style, the cluster's S3 credential). Files
 * above {@link #MULTIPART_THRESHOLD} are uploaded as a multipart upload of {@link #PART_SIZE} parts, one after the
 * other, so a cancel stops between or inside parts and aborts the upload. Holds no UI types; thread-safe.
 */
public final class SdkObjectStore implements ObjectStore {
    /** Files larger than this are uploaded in parts. */
    public static final long MULTIPART_THRESHOLD = 16L << 20;
    /** The size of each part but the last. */
    public static final long PART_SIZE = 8L << 20;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final URI endpoint;
    private final AtomicInteger transfers = new AtomicInteger();
    private final AtomicBoolean retired = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * The S3 endpoint of a node of a cluster file, with the file's S3 credential and region. When the node serves
     * HTTPS with its node certificate, the client trusts the cluster CA and that node's certificate only; with
     * another certificate ({@code s3_tls_cert} from a CA S3 clients already trust), the JDK's trust store decides.
     *
     * @throws UncheckedIOException if the cluster CA certificate cannot be read
     */
    public SdkObjectStore(ClusterConfig config, int nodeId) {
        this(URI.create(config.node(nodeId).s3Endpoint()), config.credentials().accessKey(),
                config.credentials().secretKey(), config.region(), clusterTrust(config, nodeId));
    }

    /** Any S3 endpoint with an access key pair and region; HTTPS is checked against the JDK's trust store. */
    public SdkObjectStore(URI endpoint, String accessKey, String secretKey, String region) {
        this(endpoint, accessKey, secretKey, region, null);
    }

    /**
     * Any S3 endpoint with an access key pair and region; HTTPS is checked by {@code trust}, or by the JDK's trust
     * store when it is null. Nothing here trusts every certificate.
     */
    public SdkObjectStore(URI endpoint, String accessKey, String secretKey, String region, TrustManager trust) {
        this.endpoint = endpoint;
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                accessKey, secretKey));
        Region r = Region.of(region);
        Apache5HttpClient.Builder http = Apache5HttpClient.builder().socketTimeout(Duration.ofSeconds(60));
        if (trust != null) {
            http.tlsTrustManagersProvider(() -> new TrustManager[] {trust});
        }
        this.s3 = S3Client.builder()
                .endpointOverride(endpoint)
                .region(r)
                .credentialsProvider(credentials)
                .forcePathStyle(true)
                .httpClientBuilder(http)
                .build();
        this.presigner = S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(r)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    /** The cluster's trust expecting node {@code nodeId} when its S3 port serves the node's own certificate. */
    private static TrustManager clusterTrust(ClusterConfig config, int nodeId) {
        NodeConfig node = config.node(nodeId);
        if (!node.s3Tls() || !node.s3TlsCert().equals(node.tlsCert())) {
            return null;
        }
        try {
            return ClusterTrust.load(config.tls().caCert(), Membership.of(config)).expectingNode(nodeId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public List<String> listBuckets() {
        return s3.listBuckets().buckets().stream().map(Bucket::name).sorted().toList();
    }

    @Override
    public void createBucket(String bucket) {
        s3.createBucket(b -> b.bucket(bucket));
    }

    @Override
    public List<ObjectEntry> list(String bucket, String folder, String search) {
        String prefix = folder + (search == null ? "" : search);
        List<ObjectEntry> folders = new ArrayList<>();
        List<ObjectEntry> objects = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
                    .delimiter("/");
            if (token != null) {
                req.continuationToken(token);
            }
            ListObjectsV2Response r = s3.listObjectsV2(req.build());
            for (CommonPrefix p : r.commonPrefixes()) {
                folders.add(new ObjectEntry(p.prefix(), true, 0, null));
            }
            for (S3Object o : r.contents()) {
                objects.add(new ObjectEntry(o.key(), false, o.size() == null ? 0 : o.size(), o.lastModified()));
            }
            token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
        } while (token != null);
        List<ObjectEntry> out = new ArrayList<>(folders);
        out.addAll(objects);
        return List.copyOf(out);
    }

    @Override
    public List<ObjectEntry> listRecursive(String bucket, String prefix) {
        List<ObjectEntry> out = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
            if (token != null) {
                req.continuationToken(token);
            }
            ListObjectsV2Response r = s3.listObjectsV2(req.build());
            for (S3Object o : r.contents()) {
                out.add(new ObjectEntry(o.key(), false, o.size() == null ? 0 : o.size(), o.lastModified()));
            }
            token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
        } while (token != null);
        return List.copyOf(out);
    }

    @Override
    public void upload(String bucket, String key, Path file, Transfer transfer) throws IOException {
        transferStarted();
        try {
            uploadFile(bucket, key, file, transfer);
        } finally {
            transferEnded();
        }
    }

    private void uploadFile(String bucket, String key, Path file, Transfer transfer) throws IOException {
        long size = Files.size(file);
        try {
            if (size > MULTIPART_THRESHOLD) {
                uploadInParts(bucket, key, file, size, transfer);
            } else {
                transfer.checkCancelled();
                s3.putObject(b -> b.bucket(bucket).key(key), body(file, 0, size, transfer));
            }
        } catch (SdkException | UncheckedIOException e) {
            if (transfer.cancelRequested()) {
                throw new TransferCancelledException();
            }
            throw e;
        }
        if (transfer.cancelRequested()) {
            // The last bytes went out before the cancel was seen: the user asked for no object, so remove it.
            s3.deleteObject(b -> b.bucket(bucket).key(key));
            throw new TransferCancelledException();
        }
    }

    private void uploadInParts(String bucket, String key, Path file, long size, Transfer transfer)
            throws IOException {
        transfer.checkCancelled();
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += PART_SIZE, number++) {
                transfer.checkCancelled();
                long length = Math.min(PART_SIZE, size - offset);
                int partNumber = number;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(partNumber).contentLength(length), body(file, offset, length, transfer)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            transfer.checkCancelled();
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (IOException | RuntimeException e) {
            abortAfter(e, bucket, key, uploadId, transfer);
            throw e;
        }
    }

    /**
     * Aborts the multipart upload an upload stopped in, so the node frees the parts already sent. If the node
     * refuses, a cancelled upload fails with the reason (the user asked for nothing to be left, and something is);
     * any other failure keeps its own cause and carries the abort's as suppressed.
     */
    private void abortAfter(Exception stopped, String bucket, String key, String uploadId, Transfer transfer)
            throws IOException {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            // Already gone: nothing is left behind.
        } catch (SdkException e) {
            if (transfer.cancelRequested()) {
                throw new IOException("the upload was cancelled, but the node did not abort multipart upload "
                        + uploadId + " of " + bucket + "/" + key + " (" + e.getMessage()
                        + "); the parts sent so far stay until it is aborted", e);
            }
            stopped.addSuppressed(e);
        }
    }

    /** A request body reading {@code length} bytes of {@code file} from {@code offset}, counted and cancellable. */
    private static RequestBody body(Path file, long offset, long length, Transfer transfer) {
        long before = transfer.sent();
        return RequestBody.fromContentProvider(() -> {
            try {
                transfer.checkCancelled();
                transfer.rewind(before);
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                channel.position(offset);
                return new Counting(Channels.newInputStream(channel), length, transfer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, length, "application/octet-stream");
    }

    @Override
    public void download(String bucket, String key, Path target) throws IOException {
        transferStarted();
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            transferEnded();
        }
    }

    @Override
    public void delete(String bucket, String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public ObjectDetails head(String bucket, String key) {
        HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key(key));
        return new ObjectDetails(bucket, key, h.contentLength() == null ? 0 : h.contentLength(), h.eTag(),
                h.contentType(), h.lastModified(), new TreeMap<>(h.metadata()));
    }

    @Override
    public String presignGet(String bucket, String key, Duration validity) {
        return presigner.presignGetObject(p -> p.signatureDuration(validity)
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            presigner.close();
            s3.close();
        }
    }

    /**
     * Closes once the uploads and downloads running on this client have ended, at once if none runs: for when
     * the browser moves to another node, so that transfers still going to the old one finish instead of failing.
     */
    public void closeWhenIdle() {
        retired.set(true);
        if (transfers.get() == 0) {
            close();
        }
    }

    private void transferStarted() {
        transfers.incrementAndGet();
    }

    private void transferEnded() {
        if (transfers.decrementAndGet() == 0 && retired.get()) {
            close();
        }
    }

    /** Counts bytes read into the transfer and stops with {@link TransferCancelledException} once cancelled. */
    private static final class Counting extends FilterInputStream {
        private final Transfer transfer;
        private long remaining;

        Counting(InputStream in, long length, Transfer transfer) {
            super(in);
            this.remaining = length;
            this.transfer = transfer;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            transfer.checkCancelled();
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
                transfer.advance(n);
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }
    }
}
