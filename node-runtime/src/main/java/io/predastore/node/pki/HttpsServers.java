package io.predastore.node.pki;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;

/**
 * TLS contexts for a node's HTTPS ports (S3 and the admin API): the server presents a certificate chain and asks
 * clients for none, since clients there authenticate by request signatures. Netty picks OpenSSL when it loads.
 */
public final class HttpsServers {
    private HttpsServers() {
    }

    /**
     * A server context presenting the chain of {@code certificatePem} with the key of {@code keyPem}.
     *
     * @throws IOException naming the file, if a file is missing or unreadable or the key does not fit
     */
    public static SslContext context(Path certificatePem, Path keyPem) throws IOException {
        return SslContextBuilder.forServer(PemFiles.keyManager(certificatePem, keyPem)).build();
    }
}
