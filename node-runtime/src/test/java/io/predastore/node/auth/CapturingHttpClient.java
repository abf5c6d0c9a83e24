package io.predastore.node.auth;

import java.io.ByteArrayInputStream;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** An SDK HTTP client that records the request the real S3 client sends and answers 200 OK. */
final class CapturingHttpClient implements SdkHttpClient {
    record Captured(SdkHttpRequest request, byte[] body) {
    }

    private Captured captured;

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                byte[] body = request.contentStreamProvider().map(p -> AuthFixtures.readAll(p)).orElse(new byte[0]);
                captured = new Captured(request.httpRequest(), body);
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(200).putHeader("ETag", "\"0\"").build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(new byte[0])))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public void close() {
    }

    /** Runs a real {@code S3Client.putObject} and returns what it sent. */
    static Captured putObject(String endpoint, String bucket, String key, byte[] data, String checksumAlgorithm) {
        CapturingHttpClient http = new CapturingHttpClient();
        try (S3Client s3 = S3Client.builder()
                .httpClient(http)
                .region(Region.of(AuthFixtures.REGION))
                .endpointOverride(URI.create(endpoint))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(AuthFixtures.ACCESS_KEY, AuthFixtures.SECRET_KEY)))
                .build()) {
            s3.putObject(r -> r.bucket(bucket).key(key).checksumAlgorithm(checksumAlgorithm)
                    .contentType("text/plain; charset=utf-8"), RequestBody.fromBytes(data));
        }
        return http.captured;
    }
}
