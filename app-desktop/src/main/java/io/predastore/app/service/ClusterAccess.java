package io.predastore.app.service;

import java.util.Objects;

/**
 * The credentials for a cluster the app did not create: the admin key pair (admin API) and the S3 key pair (bucket
 * browser), which a cluster file keeps apart ({@code admin_access_key} and {@code access_key}), and the region the
 * requests are signed for. {@link #toString()} hides the secrets.
 */
public record ClusterAccess(String adminAccessKey, String adminSecretKey, String s3AccessKey, String s3SecretKey,
        String region) {
    public ClusterAccess {
        Objects.requireNonNull(adminAccessKey, "adminAccessKey");
        Objects.requireNonNull(adminSecretKey, "adminSecretKey");
        Objects.requireNonNull(s3AccessKey, "s3AccessKey");
        Objects.requireNonNull(s3SecretKey, "s3SecretKey");
        Objects.requireNonNull(region, "region");
    }

    @Override
    public String toString() {
        return "ClusterAccess[adminAccessKey=" + adminAccessKey + ", s3AccessKey=" + s3AccessKey + ", region="
                + region + "]";
    }
}
