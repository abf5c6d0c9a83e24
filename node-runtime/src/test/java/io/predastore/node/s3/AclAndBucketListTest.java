package io.predastore.node.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import io.predastore.node.store.Backend;
import io.predastore.node.store.BucketInfo;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ACL operations with ACLs disabled, and ListBuckets pages, over a backend held in memory. */
class AclAndBucketListTest {
    private static final String OWNER = "AKOWNER";
    private static final List<BucketInfo> BUCKETS = List.of(
            new BucketInfo("alpha", Instant.EPOCH, "us-east-1"),
            new BucketInfo("beta", Instant.EPOCH, "eu-west-1"),
            new BucketInfo("beta-2", Instant.EPOCH, "us-east-1"),
            new BucketInfo("gamma", Instant.EPOCH, "us-east-1"));

    private final Backend backend = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
            new Class<?>[] {Backend.class}, (proxy, method, args) -> switch (method.getName()) {
                case "listBuckets" -> BUCKETS;
                case "headBucket", "headObject" -> null;
                default -> throw new UnsupportedOperationException(method.getName());
            });
    private final AclOperations acls = new AclOperations(backend, OWNER);
    private final BucketOperations buckets = new BucketOperations(backend, "us-east-1", OWNER);

    private static S3Request request(String method, String key, Map<String, String> params,
            Map<String, String> headers) {
        HttpHeaders h = new DefaultHttpHeaders();
        headers.forEach(h::add);
        Map<String, List<String>> query = new HashMap<>();
        params.forEach((k, v) -> query.put(k, List.of(v)));
        return new S3Request(HttpMethod.valueOf(method), "bucket", key, query, h, "req");
    }

    private static String text(S3Response r) {
        return new String(r.bytes(), StandardCharsets.UTF_8);
    }

    private static void assertS3Error(ThrowingCallable call, S3Error error) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    @Test
    void getAcl_isTheOwnerWithFullControl() throws Exception {
        for (S3Response r : List.of(acls.getBucketAcl(request("GET", null, Map.of("acl", ""), Map.of())),
                acls.getObjectAcl(request("GET", "k", Map.of("acl", ""), Map.of())))) {
            assertThat(text(r)).contains("<Owner><ID>AKOWNER</ID>")
                    .contains("<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                            + "xsi:type=\"CanonicalUser\"><ID>AKOWNER</ID><DisplayName>AKOWNER</DisplayName></Grantee>"
                            + "<Permission>FULL_CONTROL</Permission></Grant>");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x-amz-acl | private",
        "x-amz-acl | bucket-owner-full-control",
        "x-amz-grant-full-control | id=\"AKOWNER\"",
        "x-amz-grant-full-control | id=AKOWNER, id=\"AKOWNER\"",
    })
    void putAcl_ownerOnlyHeaders_areAccepted(String header, String value) throws Exception {
        assertThat(acls.putObjectAcl(request("PUT", "k", Map.of("acl", ""), Map.of(header, value)), null)
                .status().code()).isEqualTo(200);
        assertThatCode(() -> acls.checkHeaders(request("PUT", "k", Map.of(), Map.of(header, value))))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x-amz-acl | public-read",
        "x-amz-acl | authenticated-read",
        "x-amz-grant-full-control | id=\"someone\"",
        "x-amz-grant-full-control | emailAddress=\"a@example.com\"",
        "x-amz-grant-read | id=\"AKOWNER\"",
        "x-amz-grant-write-acp | uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"",
    })
    void putAcl_anyOtherHeader_isAccessControlListNotSupported(String header, String value) {
        assertS3Error(() -> acls.putBucketAcl(request("PUT", null, Map.of("acl", ""), Map.of(header, value)), null),
                S3Error.ACCESS_CONTROL_LIST_NOT_SUPPORTED);
        assertS3Error(() -> acls.checkHeaders(request("PUT", "k", Map.of(), Map.of(header, value))),
                S3Error.ACCESS_CONTROL_LIST_NOT_SUPPORTED);
        assertS3Error(() -> acls.checkCreateBucket(request("PUT", null, Map.of(), Map.of(header, value))),
                S3Error.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP);
    }

    @Test
    void putAcl_body_onlyOwnerFullControlIsAccepted() throws Exception {
        String grant = "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                + "xsi:type=\"CanonicalUser\"><ID>%s</ID></Grantee><Permission>%s</Permission></Grant>";
        String owner = String.format(grant, OWNER, "FULL_CONTROL");
        String doc = "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>AKOWNER</ID>"
                + "</Owner><AccessControlList>%s</AccessControlList></AccessControlPolicy>";

        assertThat(acls.putObjectAcl(request("PUT", "k", Map.of("acl", ""), Map.of()), xml(String.format(doc, owner)))
                .status().code()).isEqualTo(200);
        for (String grants : List.of("", String.format(grant, OWNER, "READ"), owner + String.format(grant,
                "someone", "FULL_CONTROL"))) {
            assertS3Error(() -> acls.putObjectAcl(request("PUT", "k", Map.of("acl", ""), Map.of()),
                    xml(String.format(doc, grants))), S3Error.ACCESS_CONTROL_LIST_NOT_SUPPORTED);
        }
        assertS3Error(() -> acls.putObjectAcl(request("PUT", "k", Map.of("acl", ""), Map.of()), xml("<Other/>")),
                S3Error.MALFORMED_XML);
        assertS3Error(() -> acls.putObjectAcl(request("PUT", "k", Map.of("acl", ""), Map.of("x-amz-acl", "private")),
                xml(String.format(doc, owner))), S3Error.INVALID_REQUEST);
        assertS3Error(() -> acls.putObjectAcl(request("PUT", "k", Map.of("acl", ""), Map.of()), null),
                S3Error.MISSING_SECURITY_HEADER);
    }

    private static XmlReader.Node xml(String doc) {
        return XmlReader.parse(doc.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> names(String xml) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<Name>([^<]*)</Name>").matcher(xml);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String token(String xml) {
        Matcher m = Pattern.compile("<ContinuationToken>([^<]*)</ContinuationToken>").matcher(xml);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void listBuckets_withoutParameters_everyBucketAndNoToken() throws Exception {
        String xml = text(buckets.listBuckets(request("GET", null, Map.of(), Map.of())));

        assertThat(names(xml)).containsExactly("alpha", "beta", "beta-2", "gamma");
        assertThat(token(xml)).isNull();
        assertThat(xml).doesNotContain("<Prefix>");
    }

    @Test
    void listBuckets_maxBuckets_pagesWithATokenUntilTheLast() throws Exception {
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Map<String, String> params = new HashMap<>(Map.of("max-buckets", "3"));
            if (token != null) {
                params.put("continuation-token", token);
            }
            String xml = text(buckets.listBuckets(request("GET", null, params, Map.of())));
            seen.addAll(names(xml));
            token = token(xml);
            pages++;
        } while (token != null);

        assertThat(seen).containsExactly("alpha", "beta", "beta-2", "gamma");
        assertThat(pages).isEqualTo(2);
    }

    @Test
    void listBuckets_prefixAndRegion_filter() throws Exception {
        String prefixed = text(buckets.listBuckets(request("GET", null, Map.of("prefix", "beta"), Map.of())));
        String regional = text(buckets.listBuckets(request("GET", null, Map.of("bucket-region", "us-east-1"),
                Map.of())));
        String exact = text(buckets.listBuckets(request("GET", null, Map.of("prefix", "beta", "max-buckets", "1"),
                Map.of())));

        assertThat(names(prefixed)).containsExactly("beta", "beta-2");
        assertThat(prefixed).contains("<Prefix>beta</Prefix>");
        assertThat(names(regional)).containsExactly("alpha", "beta-2", "gamma");
        assertThat(names(exact)).containsExactly("beta");
        assertThat(token(exact)).isNotNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "max-buckets | 0",
        "max-buckets | 10001",
        "max-buckets | many",
        "continuation-token | not-a-token",
        "continuation-token | YjE6",
    })
    void listBuckets_badParameter_isInvalidArgument(String name, String value) {
        assertS3Error(() -> buckets.listBuckets(request("GET", null, Map.of(name, value), Map.of())),
                S3Error.INVALID_ARGUMENT);
    }
}
