package io.predastore.protocol.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminErrorCodeTest {

    @Test
    void table_pinsEveryCodeAndStatus() {
        Map<String, Integer> table = new LinkedHashMap<>();
        for (AdminErrorCode e : AdminErrorCode.values()) {
            table.put(e.code(), e.httpStatus());
        }
        // What clients and docs/admin-api.md rely on: a change here is a change of the admin API.
        assertThat(table).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(Map.entry("BadRequest", 400),
                Map.entry("NotFound", 404), Map.entry("NoSuchKey", 404), Map.entry("MethodNotAllowed", 405),
                Map.entry("RecordDecodes", 409), Map.entry("RecordChanged", 409), Map.entry("MemberExists", 409),
                Map.entry("MembershipRefused", 409), Map.entry("ReadOnly", 410),
                Map.entry("MissingContentLength", 411), Map.entry("EntityTooLarge", 413),
                Map.entry("InternalError", 500), Map.entry("ServiceUnavailable", 503), Map.entry("NoLeader", 503),
                Map.entry("SlowDown", 503)));
        assertThat(Arrays.stream(AdminErrorCode.values()).map(AdminErrorCode::defaultMessage))
                .allSatisfy(m -> assertThat(m).isNotBlank().endsWith("."));
    }

    @Test
    void forCode_findsEachEntry_andNothingForSigV4Codes() {
        for (AdminErrorCode e : AdminErrorCode.values()) {
            assertThat(AdminErrorCode.forCode(e.code())).contains(e);
        }
        assertThat(AdminErrorCode.forCode("SignatureDoesNotMatch")).isEmpty();
        assertThat(AdminErrorCode.forCode(null)).isEmpty();
    }
}
