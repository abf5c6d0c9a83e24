package io.predastore.node.it;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** AWS SDK v2 clients for a test node, with the SDK's default checksum and signing behaviour. */
final class Clients {
    private Clients() {
    }

    static S3Client s3(URI endpoint) {
        return s3(endpoint, NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY);
    }

    static S3Client s3(URI endpoint, String accessKey, String secretKey) {
        return builder(endpoint, accessKey, secretKey).build();
    }

    /**
     * A client configured for {@code endpoint} whose requests {@code routing} sends to other nodes; signing
     * follows the routing, so each request is signed for the node it goes to.
     */
    static S3Client s3Routed(URI endpoint, ExecutionInterceptor routing, String accessKey, String secretKey) {
        return builder(endpoint, accessKey, secretKey)
                .overrideConfiguration(o -> o.addExecutionInterceptor(routing))
                .build();
    }

    /**
     * A client of an HTTPS endpoint whose certificate {@code trust} decides on (e.g. a cluster CA's trust expecting
     * one node), instead of the JDK's default trust store.
     */
    static S3Client s3(URI endpoint, String accessKey, String secretKey, TrustManager trust) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey,
                        secretKey)))
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder().socketTimeout(Duration.ofSeconds(60))
                        .tlsTrustManagersProvider(() -> new TrustManager[] {trust}))
                .build();
    }

    /** A client of a node that serves {@code region}, with the test credentials. */
    static S3Client s3(URI endpoint, Region region) {
        return builder(endpoint, NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY).region(region).build();
    }

    private static S3ClientBuilder builder(URI endpoint, String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey,
                        secretKey)))
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder().socketTimeout(Duration.ofSeconds(60)));
    }

    /**
     * An asynchronous client with the SDK's multipart support on (its downloads fetch a multipart object part by
     * part), its default HTTP client, and {@code observer} to see the requests; close it after use.
     */
    static S3AsyncClient s3AsyncMultipart(URI endpoint, ExecutionInterceptor observer) {
        return S3AsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY)))
                .forcePathStyle(true)
                .multipartEnabled(true)
                .overrideConfiguration(o -> o.addExecutionInterceptor(observer))
                .build();
    }

    static S3Presigner presigner(URI endpoint) {
        return S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY)))
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(true).build())
                .build();
    }
}
