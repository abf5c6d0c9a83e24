package io.predastore.node.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {
    @TempDir
    Path dir;

    @Test
    void createDirectories_newParents_areOwnerOnlyAndExistingOnesUntouched() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path leaf = dir.resolve("a/b/c");

        OwnerOnly.createDirectories(leaf);

        assertThat(mode(dir)).isEqualTo("rwxr-xr-x");
        assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("a/b"))).isEqualTo("rwx------");
        assertThat(mode(leaf)).isEqualTo("rwx------");
    }

    @Test
    void createDirectories_existingWideDirectory_isNarrowed() throws IOException {
        Path existing = Files.createDirectory(dir.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxrwxrwx"));

        OwnerOnly.createDirectories(existing);

        assertThat(mode(existing)).isEqualTo("rwx------");
    }

    @Test
    void writeAtomically_replacesTheFileOwnerOnlyAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("credentials.properties");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        OwnerOnly.writeAtomically(file, "secret".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(file)).isEqualTo("secret");
        assertThat(mode(file)).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void tighten_removesGroupAndOthersBitsBelowTheRootButNotInSkippedTrees() throws IOException {
        Path db = Files.createDirectories(dir.resolve("meta"));
        Path sst = Files.writeString(db.resolve("000001.sst"), "x");
        Path bulk = Files.createDirectories(dir.resolve("blobs/ab"));
        Path blob = Files.writeString(bulk.resolve("blob"), "y");
        for (Path p : new Path[] {dir, db, bulk, bulk.getParent()}) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(sst, PosixFilePermissions.fromString("rw-rw-r--"));
        Files.setPosixFilePermissions(blob, PosixFilePermissions.fromString("rw-r--r--"));

        int narrowed = OwnerOnly.tighten(dir, Set.of(Path.of("blobs")));

        assertThat(narrowed).isEqualTo(4);
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(db)).isEqualTo("rwx------");
        assertThat(mode(sst)).isEqualTo("rw-------");
        assertThat(mode(bulk.getParent())).isEqualTo("rwx------");
        assertThat(mode(blob)).as("inside a skipped tree").isEqualTo("rw-r--r--");
        assertThat(OwnerOnly.tighten(dir)).isEqualTo(2);
        assertThat(mode(blob)).isEqualTo("rw-------");
    }

    @Test
    void tighten_doesNotFollowSymbolicLinks() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path target = Files.writeString(outside.resolve("users-file"), "z");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("link"), target);

        OwnerOnly.tighten(root);

        assertThat(mode(target)).isEqualTo("rw-r--r--");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
