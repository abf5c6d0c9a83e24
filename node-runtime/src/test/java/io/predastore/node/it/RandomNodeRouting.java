package io.predastore.node.it;

import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLongArray;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Sends each SDK request to a randomly chosen node. {@code modifyHttpRequest} runs before the request is signed
 * (the SDK signs in its per-attempt pipeline, after all interceptors have modified the request), so the SigV4
 * signature covers the chosen node's {@code host:port}; {@link S3ClusterRoutingIT} checks that nodes refuse a
 * request whose Host differs from the signed one, so every accepted routed request proves it.
 */
final class RandomNodeRouting implements ExecutionInterceptor {
    private final List<URI> nodes;
    private final Random random;
    private final AtomicLongArray sent;

    RandomNodeRouting(List<URI> nodes, long seed) {
        this.nodes = List.copyOf(nodes);
        this.random = new Random(seed);
        this.sent = new AtomicLongArray(nodes.size());
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        int i = random.nextInt(nodes.size());
        sent.incrementAndGet(i);
        URI node = nodes.get(i);
        return context.httpRequest().toBuilder().protocol(node.getScheme()).host(node.getHost())
                .port(node.getPort()).build();
    }

    /** How many requests went to each node, in the order of the list given at construction. */
    long[] sent() {
        long[] counts = new long[sent.length()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = sent.get(i);
        }
        return counts;
    }
}
