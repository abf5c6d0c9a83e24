package io.predastore.client.sigv4;

import java.util.Objects;

/** An access key and its secret. {@link #toString()} never shows the secret. */
public record Credentials(String accessKey, String secretKey) {
    public Credentials {
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        if (accessKey.isEmpty() || secretKey.isEmpty()) {
            throw new IllegalArgumentException("Access key and secret key must not be empty");
        }
    }

    @Override
    public String toString() {
        return "Credentials[accessKey=" + accessKey + ", secretKey=<redacted>]";
    }
}
