package io.predastore.node.admin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.netty.handler.codec.http.HttpMethod;
import io.predastore.node.error.S3Error;
import io.predastore.protocol.admin.AdminError;
import io.predastore.client.AdminException;
import io.predastore.protocol.admin.AdminErrorCode;
import io.predastore.protocol.admin.AdminJson;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Admin refusals become error answers from the one table, rendered in one place. */
class AdminRefusalTest {

    @Test
    void adminException_namesTheTableEntryOfItsCode() {
        assertThat(new AdminException("refused", 503, "NoLeader").error()).contains(AdminErrorCode.NO_LEADER);
        assertThat(new AdminException("refused", 403, "SignatureDoesNotMatch").error()).isEmpty();
    }

    @Test
    void refusal_rendersStatusCodeAndMessageAsJson() throws IOException {
        AdminResponse r = AdminRoutes.refusal(new AdminRefusal(AdminErrorCode.NO_LEADER, "No leader in term 3."));

        assertThat(r.status().code()).isEqualTo(503);
        assertThat(r.contentType()).isEqualTo(AdminRoutes.JSON);
        assertThat(AdminJson.read(r.body(), AdminError.class)).isEqualTo(new AdminError("NoLeader",
                "No leader in term 3."));
        AdminResponse readOnly = AdminRoutes.refusal(new AdminRefusal(AdminErrorCode.READ_ONLY));
        assertThat(AdminJson.read(readOnly.body(), AdminError.class).message())
                .isEqualTo(AdminErrorCode.READ_ONLY.defaultMessage());
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
