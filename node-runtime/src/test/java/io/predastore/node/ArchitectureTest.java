package io.predastore.node;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertAll;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;

/**
 * The floors of node-runtime, checked on the compiled main classes (the picture is in {@code docs/architecture.md},
 * "The house"). A package may use the packages on the floors below its own, never a package on its own floor or
 * above; so there are no cycles, and a type that two floors need lives on the lower one (or the lower floor owns an
 * interface that the higher one implements). Dependencies outside node-runtime (the JDK, libraries, {@code protocol})
 * are not floors and are not checked here, except that {@code protocol} must not reach back into the node or the
 * desktop app. The desktop app's own rules live in app-desktop's tests; {@code protocol} checks itself in its module.
 *
 * <p>A new package must be put on a floor below before the build passes.
 */
@AnalyzeClasses(packages = {"io.predastore.node", "io.predastore.protocol"},
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String NODE = "io.predastore.node.";
    /** The methods of RocksDB that write. */
    private static final java.util.Set<String> ROCKSDB_WRITES = java.util.Set.of("write", "put", "delete", "merge",
            "deleteRange", "singleDelete", "putEntity");

    /** The floors, lowest first. */
    static final List<Floor> FLOORS = List.of(
            new Floor("leaves", Room.tree("error"), Room.tree("checksum"), Room.tree("erasure"), Room.tree("jobs"),
                    Room.tree("metrics")),
            new Floor("foundations", Room.tree("disk"), Room.tree("http"), Room.tree("remote")),
            new Floor("identity", Room.tree("pki")),
            new Floor("local stores", Room.tree("meta"), Room.tree("shard")),
            new Floor("shard transport", Room.tree("transport")),
            new Floor("storage contract", Room.only("store")),
            new Floor("metadata model", Room.tree("store.meta")),
            new Floor("backends", Room.tree("store.fs"), Room.tree("store.cluster")),
            new Floor("authentication", Room.tree("auth")),
            new Floor("endpoints", Room.tree("s3"), Room.tree("admin")),
            new Floor("roots", Room.tree("runtime"), Room.tree("bench"), Room.tree("supervisor")),
            new Floor("commands", Room.tree("cli")));

    @ArchTest
    static final ArchRule nodePackages_haveNoCycles = slices().matching("io.predastore.node.(*)..")
            .should().beFreeOfCycles()
            .as("no cycles between the packages of node-runtime")
            .because("a cycle makes two packages one, whatever their names say");

    @ArchTest
    static final ArchRule storePackages_haveNoCycles = slices().matching("io.predastore.node.store.(*)..")
            .should().beFreeOfCycles()
            .as("no cycles between the backends under node.store")
            .because("each backend stands on the storage contract alone");

    @ArchTest
    static final ArchRule everyNodePackage_isOnAFloor = classes().that().resideInAPackage("io.predastore.node..")
            .should().resideInAnyPackage(FLOORS.stream().flatMap(f -> f.rooms().stream())
                    .flatMap(r -> r.packages().stream()).toArray(String[]::new))
            .as("every package of node-runtime is on a floor of ArchitectureTest.FLOORS")
            .because("a new package must be given its place in the house");

    @ArchTest
    static final ArchRule backends_areChosenOnlyByTheRuntime = noClasses()
            .that().resideInAPackage("io.predastore.node..")
            .and().resideOutsideOfPackages(NODE + "store.fs..", NODE + "store.cluster..", NODE + "runtime..")
            .should().dependOnClassesThat().resideInAnyPackage(NODE + "store.fs..", NODE + "store.cluster..")
            .as("floor rule 'backends': only the runtime uses a backend implementation")
            .because("the endpoints and the admin API work on the storage contract (node.store), whichever backend "
                    + "the runtime chose");

    @ArchTest
    static final ArchRule storage_neverSpeaksS3 = noClasses()
            .that().resideInAPackage(NODE + "store..")
            .should().dependOnClassesThat().resideInAnyPackage(NODE + "error..", NODE + "s3..")
            .as("storage rule: node.store and its backends never use node.error or node.s3")
            .because("storage throws its own StorageException, which the S3 front end maps to an S3 error in one "
                    + "table; a body stream's own failure passes through a backend untouched");

    @ArchTest
    static final ArchRule onlyTheDisk_writesToRocksDb = noClasses()
            .that().resideInAPackage("io.predastore.node..").and().resideOutsideOfPackage(NODE + "disk")
            .should().callMethodWhere(DescribedPredicate.describe("a RocksDB write",
                    (JavaMethodCall call) -> call.getTargetOwner().isAssignableTo(org.rocksdb.RocksDB.class)
                            && ROCKSDB_WRITES.contains(call.getName())))
            .as("disk rule: every RocksDB write goes through NodeDisk.write")
            .because("RocksDB holds a writer for a flush, for good on a full disk or when flushes get no thread; "
                    + "NodeDisk.write has it refuse instead and bounds the wait");

    @ArchTest
    static final ArchRule protocol_neverUsesTheNodeOrTheApp = noClasses()
            .that().resideInAPackage("io.predastore.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage("io.predastore.node..", "io.predastore.app..")
            .as("floor rule 'protocol': protocol never uses io.predastore.node or io.predastore.app")
            .because("the desktop app and the node both build on protocol, which must stay light");

    /** Checks every room's rule; each failure names the floor rule it broke. */
    @ArchTest
    static void everyPackage_usesOnlyTheFloorsBelow(JavaClasses classes) {
        assertAll(floorRules().stream().map(rule -> (Executable) () -> rule.check(classes)));
    }

    /** One rule per room: it uses nothing on its own floor (but itself) or above. */
    static List<ArchRule> floorRules() {
        List<ArchRule> rules = new ArrayList<>();
        for (int level = 0; level < FLOORS.size(); level++) {
            Floor floor = FLOORS.get(level);
            String below = level == 0 ? "nothing of node-runtime"
                    : FLOORS.subList(0, level).stream().map(Floor::name).collect(Collectors.joining(", "));
            for (Room room : floor.rooms()) {
                int from = level;
                String[] forbidden = Stream.concat(
                                floor.rooms().stream().filter(other -> other != room),
                                FLOORS.subList(from + 1, FLOORS.size()).stream().flatMap(f -> f.rooms().stream()))
                        .flatMap(r -> r.packages().stream())
                        .toArray(String[]::new);
                rules.add(noClasses().that().resideInAnyPackage(room.packages().toArray(String[]::new))
                        .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                        .as(String.format("floor rule '%s': %s (floor %d) uses only the floors below it: %s",
                                floor.name(), room.name(), level, below)));
            }
        }
        return rules;
    }

    /** A floor: packages that may use the floors below, but not each other. */
    record Floor(String name, List<Room> rooms) {
        Floor(String name, Room... rooms) {
            this(name, List.of(rooms));
        }
    }

    /**
     * A capability on a floor, as ArchUnit package identifiers: a package with its subpackages, or (for
     * {@code store}, whose subpackages are floors of their own) the package alone.
     */
    record Room(String name, List<String> packages) {
        static Room tree(String name, String... packages) {
            String[] names = packages.length == 0 ? new String[] {name} : packages;
            return new Room(name, Arrays.stream(names).map(p -> NODE + p + "..").toList());
        }

        static Room only(String name) {
            return new Room(name, List.of(NODE + name));
        }
    }
}
