package io.predastore.chaos.workload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * signing and checksums are the SDK's defaults. The nodes can change while the workers run ({@link #use}): each
 * operation takes the list as it is when it starts. Close to release the connection pools.
 */
final class NodeClients implements AutoCloseable {
    /** A node and its client. */
    record Target(NodeEndpoint node, S3Client client) {
    }

    private final WorkloadConfig config;
    /** Every client made, by node id and endpoint, so that a node used again keeps its client. */
    private final Map<String, S3Client> made = new HashMap<>();
    private volatile List<Target> targets;

    NodeClients(WorkloadConfig config) {
        this.config = config;
        use(config.nodes());
    }

    /** From now on, operations go to {@code nodes}. */
    synchronized void use(List<NodeEndpoint> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a workload needs at least one node endpoint");
        }
        List<Target> now = new ArrayList<>();
        for (NodeEndpoint node : nodes) {
            now.add(new Target(node, made.computeIfAbsent(node.id() + " " + node.endpoint(), k -> client(node))));
        }
        targets = List.copyOf(now);
    }

    /** The nodes operations go to now. */
    List<Target> targets() {
        return targets;
    }

    private S3Client client(NodeEndpoint node) {
        Apache5HttpClient.Builder http = Apache5HttpClient.builder()
                .connectionTimeout(config.connectTimeout())
                .socketTimeout(config.callTimeout())
                .connectionAcquisitionTimeout(config.callTimeout());
        if (node.trust() != null) {
            TrustManager trust = node.trust();
            http.tlsTrustManagersProvider(() -> new TrustManager[] {trust});
        }
        return S3Client.builder()
                .endpointOverride(node.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        config.accessKey(), config.secretKey())))
                .forcePathStyle(true)
                .httpClientBuilder(http)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(config.callTimeout()))
                .build();
    }

    @Override
    public synchronized void close() {
        made.values().forEach(S3Client::close);
    }
}
