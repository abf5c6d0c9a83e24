package io.predastore.app.service;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The credentials for a cluster the app did not create: the admin key pair (admin API) and the S3 key pair (bucket
 * browser), which a cluster file keeps apart ({@code admin_access_key} and {@code access_key}), the region the
 * requests are signed for, and the cluster's CA certificate for nodes that serve HTTPS. {@link #toString()} hides
 * the secrets.
 *
 * @param caCertificate the cluster CA certificate (PEM, {@code tls/ca.pem} of a cluster directory), trusted for
 *                      HTTPS to the nodes, or null when they serve plain HTTP
 */
public record ClusterAccess(String adminAccessKey, String adminSecretKey, String s3AccessKey, String s3SecretKey,
        String region, Path caCertificate) {
    public ClusterAccess {
        Objects.requireNonNull(adminAccessKey, "adminAccessKey");
        Objects.requireNonNull(adminSecretKey, "adminSecretKey");
        Objects.requireNonNull(s3AccessKey, "s3AccessKey");
        Objects.requireNonNull(s3SecretKey, "s3SecretKey");
        Objects.requireNonNull(region, "region");
    }

    /** Access to a cluster whose nodes serve plain HTTP. */
    public ClusterAccess(String adminAccessKey, String adminSecretKey, String s3AccessKey, String s3SecretKey,
            String region) {
        this(adminAccessKey, adminSecretKey, s3AccessKey, s3SecretKey, region, null);
    }

    @Override
    public String toString() {
        return "ClusterAccess[adminAccessKey=" + adminAccessKey + ", s3AccessKey=" + s3AccessKey + ", region="
                + region + ", caCertificate=" + caCertificate + "]";
    }
}
