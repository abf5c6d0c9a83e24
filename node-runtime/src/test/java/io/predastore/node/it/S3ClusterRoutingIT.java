package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** The request routing the cluster suites rely on: every node is used, and each request is signed for its node. */
class S3ClusterRoutingIT extends SharedNode implements OnCluster {

    @Test
    void routedRequests_reachEveryNode_andEachIsAccepted() {
        s3.createBucket(b -> b.bucket("routing-it"));
        long[] before = cluster.routing().sent();
        for (int i = 0; i < 60; i++) {
            String key = "k" + i;
            s3.putObject(b -> b.bucket("routing-it").key(key), RequestBody.fromString(key));
            assertThat(s3.getObjectAsBytes(b -> b.bucket("routing-it").key(key)).asUtf8String()).isEqualTo(key);
        }
        long[] after = cluster.routing().sent();
        for (int i = 0; i < after.length; i++) {
            // 120 random picks among 5 nodes: missing one has a probability of about 1e-11.
            assertThat(after[i] - before[i]).as("requests routed to node %d", i + 1).isPositive();
        }
    }

    @Test
    void requestSignedForOneNode_sentToAnother_isSignatureDoesNotMatch() throws Exception {
        List<URI> nodes = cluster.endpoints();
        SigV4Signer signer = new SigV4Signer(new Credentials(NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY),
                "us-east-1", Clock.systemUTC());
        String emptySha = RawHttp.sha256Hex(new byte[0]);
        Map<String, String> signedForFirst = signer.signHeaders("GET", URI.create(nodes.get(0) + "/"), Map.of(),
                emptySha);
        RawHttp.Response elsewhere = RawHttp.send(nodes.get(1), "GET", "/", signedForFirst, new byte[0], 0);
        assertThat(elsewhere.status()).isEqualTo(403);
        assertThat(elsewhere.body()).contains("<Code>SignatureDoesNotMatch</Code>");
        RawHttp.Response there = RawHttp.send(nodes.get(0), "GET", "/", signedForFirst, new byte[0], 0);
        assertThat(there.status()).isEqualTo(200);
    }
}
