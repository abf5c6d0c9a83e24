package io.predastore.chaos.workload;

import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One SDK client per node, shared by the workers (SDK clients are thread-safe; each request takes its own pooled
 * connection). Path-style, short timeouts, and no SDK retries, so each attempt is one recorded operation; payload
 * signing and checksums are the SDK's defaults. Close to release the connection pools.
 */
final class NodeClients implements AutoCloseable {
    private final List<NodeEndpoint> nodes;
    private final List<S3Client> clients = new ArrayList<>();

    NodeClients(WorkloadConfig config) {
        this.nodes = config.nodes();
        for (NodeEndpoint node : nodes) {
            Apache5HttpClient.Builder http = Apache5HttpClient.builder()
                    .connectionTimeout(config.connectTimeout())
                    .socketTimeout(config.callTimeout())
                    .connectionAcquisitionTimeout(config.callTimeout());
            if (node.trust() != null) {
                TrustManager trust = node.trust();
                http.tlsTrustManagersProvider(() -> new TrustManager[] {trust});
            }
            clients.add(S3Client.builder()
                    .endpointOverride(node.endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            config.accessKey(), config.secretKey())))
                    .forcePathStyle(true)
                    .httpClientBuilder(http)
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                            .apiCallTimeout(config.callTimeout()))
                    .build());
        }
    }

    int size() {
        return nodes.size();
    }

    NodeEndpoint node(int index) {
        return nodes.get(index);
    }

    S3Client client(int index) {
        return clients.get(index);
    }

    @Override
    public void close() {
        clients.forEach(S3Client::close);
    }
}
