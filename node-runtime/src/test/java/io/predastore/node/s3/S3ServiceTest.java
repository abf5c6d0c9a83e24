package io.predastore.node.s3;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.store.Backend;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** How S3Service answers and logs what a client got wrong, and what the node got wrong, before and after auth. */
class S3ServiceTest {
    private static final Credentials CREDENTIALS = new Credentials("AKIDEXAMPLE", "secret");
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    /** A backend that fails every call as a broken node would; a malformed request must never reach it. */
    private static final Backend BROKEN = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
            new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                throw new IllegalStateException("backend failure in " + method.getName());
            });

    private final S3Service service = new S3Service(BROKEN,
            new SigV4Verifier(CredentialStore.of(CREDENTIALS), "us-east-1", Clock.systemUTC()), "us-east-1",
            List.of("localhost"), "owner", RequestObserver.NONE);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(S3Service.class);

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
    }

    private S3Response handle(HttpRequest request) {
        BodyPipe pipe = finishedPipe();
        return service.handle(request, pipe, service.newRequestId(), CLIENT);
    }

    /** A pipe whose body has ended, as for a request without one. */
    static BodyPipe finishedPipe() {
        BodyPipe pipe = new BodyPipe(Runnable::run, new BodyPipe.Demand() {
            @Override
            public void drained() {
            }

            @Override
            public void wanted() {
            }
        });
        pipe.finish();
        return pipe;
    }

    private static HttpRequest request(String method, String target, String... headers) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), target,
                DefaultHttpHeadersFactory.headersFactory().withValidation(false));
        r.headers().set("Host", "localhost:9000");
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1]);
        }
        return r;
    }

    private static String body(S3Response r) {
        return new String(r.bytes(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET | /bucket?prefix=% | InvalidURI",
        "GET | /bucket?prefix=%zz | InvalidURI",
        "PUT | /bucket/100% | InvalidURI",
        "PUT | /bucket/%FF | InvalidURI",
        "PUT | /bucket/a#b | InvalidURI",
        "OPTIONS | * | InvalidURI",
        "CONNECT | localhost:9000 | InvalidURI",
        "PUT | HTTP://other:9000/bucket/b | InvalidRequest",
    })
    void handle_malformedTarget_is400XmlBeforeAuthentication(String method, String target, String code) {
        S3Response r = handle(request(method, target));

        assertThat(r.status().code()).isEqualTo(400);
        // Unsigned, so reaching the verifier would have been AccessDenied.
        assertThat(body(r)).contains("<Code>" + code + "</Code>").contains("<RequestId>");
    }

    @Test
    void handle_controlCharacterInHeader_is400InvalidRequest() {
        for (String value : List.of("a\rb", "a\nInjected: 1", "\u0000", "bytes=0-1\u0000")) {
            S3Response r = handle(request("GET", "/bucket/key", "Range", value));

            assertThat(r.status().code()).isEqualTo(400);
            assertThat(body(r)).contains("<Code>InvalidRequest</Code>").contains("control characters");
        }
    }

    @Test
    void handle_twoHostHeaders_is400InvalidRequest() {
        S3Response r = handle(request("GET", "/bucket/key", "Host", "evil.localhost:9000"));

        assertThat(body(r)).contains("<Code>InvalidRequest</Code>").contains("2 Host headers");
    }

    @Test
    void handle_thousandsOfMalformedRequests_logAFewShortLinesAndNoStackTrace() {
        long start = System.nanoTime();
        for (int i = 0; i < 5_000; i++) {
            handle(request("GET", "/bucket/" + "%".repeat(i % 7 + 1) + "?x=" + "y".repeat(2000)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        // ClientFaultLog: a burst of 20, then 5 lines a second.
        assertThat(log.list.size()).isLessThanOrEqualTo(21 + (int) (5 * seconds));
        assertThat(log.list).allSatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getThrowableProxy()).isNull();
            assertThat(e.getFormattedMessage()).hasSizeLessThan(400).contains("127.0.0.1");
        });
    }

    @Test
    void malformedHttp_decoderFailure_is400WithSanitisedMessageAndOneShortLine() {
        String hostile = "Validation failed for header 'X-" + "\r\n".repeat(3) + "A".repeat(5000) + "'";

        S3Response r = service.malformedHttp(new DecoderException(hostile), "REQ1", CLIENT);

        assertThat(r.status().code()).isEqualTo(400);
        assertThat(body(r)).contains("<Code>InvalidRequest</Code>").doesNotContain("\r").hasSizeLessThan(1000);
        assertThat(log.list).singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage()).doesNotContain("\n").hasSizeLessThan(400);
            assertThat(e.getThrowableProxy()).isNull();
        });
    }

    @Test
    void handle_internalFailureAfterAuthentication_isInternalErrorLoggedOnceWithRequestId() {
        URI uri = URI.create("http://localhost:9000/bucket/key");
        Map<String, String> signed = new SigV4Signer(CREDENTIALS, "us-east-1", Clock.systemUTC())
                .signHeaders("GET", uri, Map.of(), null);
        HttpRequest request = request("GET", "/bucket/key");
        signed.forEach((k, v) -> request.headers().add(k, v));
        String requestId = service.newRequestId();
        BodyPipe pipe = finishedPipe();

        S3Response r = service.handle(request, pipe, requestId, CLIENT);

        assertThat(r.status().code()).isEqualTo(500);
        assertThat(body(r)).contains("<Code>InternalError</Code>").contains(requestId);
        assertThat(log.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage()).contains(requestId).contains("/bucket/key");
            assertThat(e.getThrowableProxy().getMessage()).contains("backend failure");
        });
    }
}
