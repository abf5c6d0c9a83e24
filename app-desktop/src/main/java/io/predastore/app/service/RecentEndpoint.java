package io.predastore.app.service;

import java.util.Objects;

/**
 * A remembered cluster the app connected to by endpoint. Secrets are not remembered: the user enters them again.
 *
 * @param endpoint       the admin endpoint as typed ({@code host:port})
 * @param adminAccessKey the admin access key
 * @param s3AccessKey    the S3 access key
 * @param region         the signing region
 */
public record RecentEndpoint(String endpoint, String adminAccessKey, String s3AccessKey, String region) {
    public RecentEndpoint {
        Objects.requireNonNull(endpoint, "endpoint");
        adminAccessKey = adminAccessKey == null ? "" : adminAccessKey;
        s3AccessKey = s3AccessKey == null ? "" : s3AccessKey;
        region = region == null || region.isBlank() ? "us-east-1" : region;
    }

    @Override
    public String toString() {
        return endpoint + " (admin key " + adminAccessKey + ")";
    }
}
