package io.predastore.node.admin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.netty.handler.codec.http.HttpMethod;
import io.predastore.node.error.S3Error;
import io.predastore.protocol.admin.AdminError;
import io.predastore.protocol.admin.AdminJson;
import java.io.IOException;
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
                Map.entry("RecordDecodes", 409), Map.entry("RecordChanged", 409), Map.entry("ReadOnly", 410),
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
        assertThat(new AdminException("refused", 503, "NoLeader").error()).contains(AdminErrorCode.NO_LEADER);
    }

    @Test
    void refusal_rendersStatusCodeAndMessageAsJson() throws IOException {
        AdminResponse r = AdminRoutes.refusal(AdminErrorCode.NO_LEADER.refusal("No leader in term 3."));

        assertThat(r.status().code()).isEqualTo(503);
        assertThat(r.contentType()).isEqualTo(AdminRoutes.JSON);
        assertThat(AdminJson.read(r.body(), AdminError.class)).isEqualTo(new AdminError("NoLeader",
                "No leader in term 3."));
        assertThat(AdminJson.read(AdminRoutes.refusal(AdminErrorCode.READ_ONLY.refusal()).body(), AdminError.class)
                .message()).isEqualTo(AdminErrorCode.READ_ONLY.defaultMessage());
    }

    @Test
    void refusal_methodNotAllowed_carriesTheAllowHeader() {
        AdminResponse r = AdminRoutes.refusal(new AdminRefusal(AdminErrorCode.METHOD_NOT_ALLOWED, "GET only.",
                HttpMethod.GET.name()));

        assertThat(r.status().code()).isEqualTo(405);
        assertThat(r.headers()).containsEntry("Allow", "GET");
    }

    @Test
    void refusal_authenticationError_keepsItsSigV4Code() throws IOException {
        AdminResponse r = AdminRoutes.refusal(S3Error.SIGNATURE_DOES_NOT_MATCH.exception("bad signature"));

        assertThat(r.status().code()).isEqualTo(403);
        assertThat(AdminJson.read(r.body(), AdminError.class).code()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void errorBodies_areWrittenByTheOneRendererOnly() {
        JavaClasses admin = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.predastore.node.admin");
        noClasses().that().doNotHaveFullyQualifiedName(AdminRoutes.class.getName())
                .and().resideInAPackage("io.predastore.node.admin")
                .should().callConstructor(AdminError.class, String.class, String.class)
                .because("every admin error answer comes from the AdminErrorCode table through AdminRoutes")
                .check(admin);
    }
}
