package io.predastore.protocol.config;

/**
 * The cluster's S3 key pair and its admin key pair. {@link #toString()} hides the secrets so they do not end up in
 * logs.
 */
public record CredentialsConfig(String accessKey, String secretKey, String adminAccessKey, String adminSecretKey) {
    public CredentialsConfig {
        ConfigChecks.notBlank("credentials.access_key", accessKey);
        ConfigChecks.notBlank("credentials.secret_key", secretKey);
        ConfigChecks.notBlank("credentials.admin_access_key", adminAccessKey);
        ConfigChecks.notBlank("credentials.admin_secret_key", adminSecretKey);
    }

    @Override
    public String toString() {
        return "CredentialsConfig[accessKey=" + accessKey + ", secretKey=***, adminAccessKey=" + adminAccessKey
                + ", adminSecretKey=***]";
    }
}
