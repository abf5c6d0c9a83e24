package io.predastore.app.service;

import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** S3 operations against one node's endpoint (path-style, the cluster's S3 credential). Holds no UI types. */
public final class S3Service implements AutoCloseable {
    private final S3Client s3;
    private final S3Presigner presigner;
    private final URI endpoint;

    public S3Service(ClusterConfig config, int nodeId) {
        NodeConfig node = config.node(nodeId);
        this.endpoint = URI.create(node.s3Endpoint());
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                config.credentials().accessKey(), config.credentials().secretKey()));
        Region region = Region.of(config.region());
        this.s3 = S3Client.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
                .build();
        this.presigner = S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** An object or a folder (common prefix) in a listing. */
    public record Entry(String key, boolean folder, long size, Instant lastModified) {
        /** The last path segment, with a trailing slash for folders. */
        public String name(String prefix) {
            return key.startsWith(prefix) ? key.substring(prefix.length()) : key;
        }
    }

    public List<String> listBuckets() {
        return s3.listBuckets().buckets().stream().map(Bucket::name).sorted().toList();
    }

    public void createBucket(String bucket) {
        s3.createBucket(b -> b.bucket(bucket));
    }

    /** Folders first, then objects, directly under {@code prefix} (delimiter {@code /}). */
    public List<Entry> list(String bucket, String prefix) {
        List<Entry> folders = new ArrayList<>();
        List<Entry> objects = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
                    .delimiter("/");
            if (token != null) {
                req.continuationToken(token);
            }
            ListObjectsV2Response r = s3.listObjectsV2(req.build());
            for (CommonPrefix p : r.commonPrefixes()) {
                folders.add(new Entry(p.prefix(), true, 0, null));
            }
            for (S3Object o : r.contents()) {
                objects.add(new Entry(o.key(), false, o.size() == null ? 0 : o.size(), o.lastModified()));
            }
            token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
        } while (token != null);
        List<Entry> out = new ArrayList<>(folders);
        out.addAll(objects);
        return List.copyOf(out);
    }

    /** Uploads a file, reporting the fraction sent (0..1) from the uploading thread. */
    public void upload(String bucket, String key, Path file, DoubleConsumer progress) throws IOException {
        long size = Files.size(file);
        RequestBody body = RequestBody.fromContentProvider(() -> {
            try {
                return new Counting(Files.newInputStream(file), size, progress);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, size, "application/octet-stream");
        s3.putObject(b -> b.bucket(bucket).key(key), body);
        progress.accept(1.0);
    }

    /** Downloads an object into {@code target} (replaced). */
    public void download(String bucket, String key, Path target) throws IOException {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public void delete(String bucket, String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    /** A presigned GET URL valid for {@code validity}. */
    public String presignGet(String bucket, String key, Duration validity) {
        return presigner.presignGetObject(p -> p.signatureDuration(validity)
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString();
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
    }

    private static final class Counting extends FilterInputStream {
        private final long total;
        private final DoubleConsumer progress;
        private long sent;

        Counting(InputStream in, long total, DoubleConsumer progress) {
            super(in);
            this.total = total;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(long n) {
            sent += n;
            progress.accept(total == 0 ? 1.0 : Math.min(1.0, (double) sent / total));
        }
    }
}
