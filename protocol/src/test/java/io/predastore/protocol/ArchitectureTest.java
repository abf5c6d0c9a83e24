package io.predastore.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * What {@code protocol} may use, checked on its compiled main classes: it is the light base that the node and the
 * desktop app share, so it holds wire records, the shared model, config, the ring and their codecs, and nothing
 * that would pull a server into the app. node-runtime's ArchitectureTest checks the node's floors on top of it.
 */
@AnalyzeClasses(packages = "io.predastore.protocol", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule protocol_usesOnlyTheJdkJacksonAndNettyBuffers = classes()
            .that().resideInAPackage("io.predastore.protocol..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.predastore.protocol..", "java..",
                    "com.fasterxml.jackson..", "io.netty.buffer..", "io.netty.util..")
            .as("protocol rule: protocol uses only itself, the JDK, Jackson and Netty buffers")
            .because("the node and the desktop app both build on protocol: it never uses io.predastore.node or "
                    + "io.predastore.app, nor a server library (Ratis, RocksDB, Netty channels, JavaFX)");

    @ArchTest
    static final ArchRule protocolPackages_haveNoCycles = slices().matching("io.predastore.protocol.(*)..")
            .should().beFreeOfCycles()
            .as("protocol rule: no cycles between the packages of protocol");
}
