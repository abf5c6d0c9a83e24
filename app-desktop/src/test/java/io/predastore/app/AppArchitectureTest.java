package io.predastore.app;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the desktop app may build on: {@code protocol}, {@code client}, the node's process supervisor and libraries,
 * never the server's packages (S3 front end, storage, metadata, authentication, admin server, transport); and how
 * its own packages stand to each other: no cycles among them, and the root package (the composition root) uses its
 * subpackages, never the other way round; the browser's session policy and the byte formatter hold no JavaFX type.
 * Test code is not checked: integration tests may start a node in-process.
 */
class AppArchitectureTest {
    private static final String APP = "io.predastore.app";

    private static JavaClasses app;

    @BeforeAll
    static void importApp() {
        app = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(APP);
    }

    /** App code may use no {@code io.predastore} package but its own, protocol, client and the supervisor. */
    private static final ArchRule ONLY_PROTOCOL_CLIENT_SUPERVISOR = noClasses().that().resideInAPackage(APP + "..")
            .should().dependOnClassesThat(resideInAPackage("io.predastore..")
                    .and(resideOutsideOfPackages(APP + "..", "io.predastore.protocol..", "io.predastore.client..",
                            "io.predastore.node.supervisor..")))
            .because("the app talks to nodes through protocol and client and runs them through the supervisor; "
                    + "server classes would tie it to the node's internals");

    @Test
    void app_dependsOnlyOnProtocolClientAndSupervisor_neverOnServerPackages() {
        ONLY_PROTOCOL_CLIENT_SUPERVISOR.check(app);
    }

    @Test
    void serverRule_classUsingTheS3FrontEnd_isReported() {
        JavaClasses offender = new ClassFileImporter().importClasses(UsesServer.class);
        assertThat(ONLY_PROTOCOL_CLIENT_SUPERVISOR.evaluate(offender).hasViolation()).isTrue();
    }

    @Test
    void appPackages_haveNoCycles() {
        slices().matching(APP + ".(*)..").should().beFreeOfCycles().check(app);
    }

    @Test
    void subpackages_neverUseTheRootPackage() {
        ArchRule rule = noClasses().that().resideInAPackage(APP + "..").and().resideOutsideOfPackage(APP)
                .should().dependOnClassesThat(resideInAPackage(APP))
                .because("the root package composes the screens and services; they must not reach back into it");
        rule.check(app);
    }

    @Test
    void sessionAndFormat_holdNoJavaFxTypes() {
        noClasses().that().resideInAnyPackage(APP + ".session..", APP + ".format..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .because("the browser's session policy and the formatting are plain Java, tested without a toolkit")
                .check(app);
    }

    /** Breaks the first rule on purpose, so the rule is shown to catch what it is meant to. */
    private static final class UsesServer {
        @SuppressWarnings("unused")
        private io.predastore.node.s3.S3Service service;
    }
}
