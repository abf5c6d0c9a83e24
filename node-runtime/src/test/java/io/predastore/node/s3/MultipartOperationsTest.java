package io.predastore.node.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import io.predastore.node.store.Backend;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What MultipartOperations refuses before it asks the backend anything. */
class MultipartOperationsTest {
    /** A backend that must not be reached. */
    private static final Backend UNREACHED = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
            new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                throw new AssertionError("the backend was asked " + method.getName());
            });

    @Test
    void listUploads_encodingTypeOtherThanUrl_isInvalidArgument() {
        S3Request r = new S3Request(HttpMethod.GET, "bucket", null,
                Map.of("uploads", List.of(""), "encoding-type", List.of("gzip")), new DefaultHttpHeaders(), "req");

        assertThatThrownBy(() -> new MultipartOperations(UNREACHED, "owner").listUploads(r))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error())
                        .isEqualTo(S3Error.INVALID_ARGUMENT));
    }
}
