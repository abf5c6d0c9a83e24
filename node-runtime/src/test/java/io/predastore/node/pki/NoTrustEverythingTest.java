package io.predastore.node.pki;

import io.predastore.client.tls.ClusterTrust;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Keeps TLS that trusts every certificate out of every module, main and test code alike: no insecure trust manager
 * factory or host name verifier, and no trust manager of our own other than {@link ClusterTrust}, which checks the
 * cluster CA and the node a certificate names. A new one needs a reason, and this list changed with it.
 */
class NoTrustEverythingTest {
    private static final List<String> FORBIDDEN = List.of("InsecureTrustManagerFactory", "NoopHostnameVerifier",
            "TrustAllStrategy", "TrustSelfSignedStrategy", "ALLOW_ALL_HOSTNAME_VERIFIER",
            "disableHostnameVerification");
    private static final List<String> TRUST_MANAGER_TYPES = List.of("implements X509TrustManager",
            "extends X509ExtendedTrustManager", "implements TrustManager", "extends X509TrustManager");
    private static final Set<String> OWN_TRUST_MANAGERS = Set.of("ClusterTrust.java");

    @Test
    void sources_ofEveryModule_neverTrustEveryCertificate() throws IOException {
        // Tests run in their module's directory; the repository is its parent.
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("pom.xml")).as("repository root %s", root).isRegularFile();
        List<Path> sources = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                // Build output and VCS data hold no sources of ours (and test clusters' data is large).
                return name.equals("target") || name.startsWith(".") && !dir.equals(root)
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (file.toString().endsWith(".java") && file.toString().contains("/src/")) {
                    sources.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        List<String> problems = new ArrayList<>();
        int scanned = 0;
        for (Path file : sources) {
            if (file.getFileName().toString().equals(getClass().getSimpleName() + ".java")) {
                continue;
            }
            scanned++;
            String text = Files.readString(file, StandardCharsets.UTF_8);
            for (String token : FORBIDDEN) {
                if (text.contains(token)) {
                    problems.add(root.relativize(file) + " uses " + token);
                }
            }
            for (String type : TRUST_MANAGER_TYPES) {
                if (text.contains(type) && !OWN_TRUST_MANAGERS.contains(file.getFileName().toString())) {
                    problems.add(root.relativize(file) + " declares a trust manager (" + type + ")");
                }
            }
        }
        assertThat(scanned).as("Java files scanned").isGreaterThan(100);
        assertThat(problems).isEmpty();
    }
}
