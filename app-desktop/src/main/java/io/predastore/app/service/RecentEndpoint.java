package io.predastore.app.service;

import java.util.Objects;

/**
 * A remembered cluster the app connected to by endpoint. Secrets are not remembered: the user enters them again.
 *
 * @param endpoint       the admin endpoint as typed ({@code host:port})
 * @param adminAccessKey the admin access key
 * @param s3AccessKey    the S3 access key
 * @param region         the signing region
 * @param caCertificate  the path of the cluster CA certificate given for HTTPS, or empty
 */
public record RecentEndpoint(String endpoint, String adminAccessKey, String s3AccessKey, String region,
        String caCertificate) {
    public RecentEndpoint {
        Objects.requireNonNull(endpoint, "endpoint");
        adminAccessKey = adminAccessKey == null ? "" : adminAccessKey;
        s3AccessKey = s3AccessKey == null ? "" : s3AccessKey;
        region = region == null || region.isBlank() ? "us-east-1" : region;
        caCertificate = caCertificate == null ? "" : caCertificate;
    }

    /** A remembered endpoint reached without a CA certificate. */
    public RecentEndpoint(String endpoint, String adminAccessKey, String s3AccessKey, String region) {
        this(endpoint, adminAccessKey, s3AccessKey, region, "");
    }

    @Override
    public String toString() {
        return endpoint + " (admin key " + adminAccessKey + ")";
    }
}
