package io.predastore.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The root package is the composition root: it may use every screen and service, and none of them may use it back.
 * The browser's session policy and the byte formatter are plain Java, testable without the FX toolkit.
 */
class DesktopRootTest {
    private static JavaClasses app;

    @BeforeAll
    static void importApp() {
        // The rules look at the app's own packages only; resolving every referenced library class is slow.
        ArchConfiguration config = ArchConfiguration.get();
        boolean resolve = config.resolveMissingDependenciesFromClassPath();
        config.setResolveMissingDependenciesFromClassPath(false);
        try {
            app = importAppClasses();
        } finally {
            config.setResolveMissingDependenciesFromClassPath(resolve);
        }
    }

    private static JavaClasses importAppClasses() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.predastore.app");
    }

    @Test
    void subpackages_neverUseTheRootPackage() {
        noClasses().that().resideInAPackage("io.predastore.app.*..")
                .should().dependOnClassesThat().resideInAPackage("io.predastore.app")
                .because("the root package only wires the screens and services together")
                .check(app);
    }

    @Test
    void sessionAndFormat_holdNoJavaFxTypes() {
        noClasses().that().resideInAnyPackage("io.predastore.app.session..", "io.predastore.app.format..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .because("the browser's session policy and the formatting are plain Java, tested without a toolkit")
                .check(app);
    }
}
