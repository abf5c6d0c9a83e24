package io.predastore.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SdkObjectStoreTest {
    @Test
    void presignGet_pathStyleUrlSignedForAnHour() {
        try (SdkObjectStore s3 = new SdkObjectStore(URI.create("http://127.0.0.1:9000"), "AKEXAMPLE", "secret", "us-east-1")) {
            URI url = URI.create(s3.presignGet("photos", "2024/a b.jpg", Duration.ofHours(1)));
            assertThat(url.getScheme() + "://" + url.getAuthority()).isEqualTo("http://127.0.0.1:9000");
            assertThat(url.getRawPath()).isEqualTo("/photos/2024/a%20b.jpg");
            assertThat(url.getQuery()).contains("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Expires=3600",
                    "X-Amz-SignedHeaders=host", "X-Amz-Signature=")
                    .containsPattern("X-Amz-Credential=AKEXAMPLE/\\d{8}/us-east-1/s3/aws4_request");
        }
    }
}
