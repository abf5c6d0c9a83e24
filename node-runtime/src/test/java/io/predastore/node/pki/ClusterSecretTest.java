package io.predastore.node.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSecretTest {
    @TempDir
    Path dir;

    @Test
    void write_thenRead_givesTheSameSecretFromAnOwnerOnlyFile() throws Exception {
        ClusterSecret secret = ClusterSecret.generate(new SecureRandom());
        Path file = ClusterSecret.fileIn(dir);
        secret.write(file);
        assertThat(ClusterSecret.read(file)).isEqualTo(secret);
        assertThat(secret.key()).hasSize(ClusterSecret.LENGTH);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void toString_neverShowsTheSecret() {
        ClusterSecret secret = ClusterSecret.of(new byte[ClusterSecret.LENGTH]);
        assertThat(secret.toString()).doesNotContain("AAAA").isEqualTo("ClusterSecret[hidden]");
    }

    @Test
    void read_missingFile_failsAsNoSuchFile() {
        assertThatThrownBy(() -> ClusterSecret.read(ClusterSecret.fileIn(dir)))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void read_damagedOrShortSecret_failsNamingTheFile() throws Exception {
        Path file = ClusterSecret.fileIn(dir);
        Files.writeString(file, "not base64 at all!\n");
        assertThatThrownBy(() -> ClusterSecret.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("copy it from another node");
        Files.writeString(file, "AAAA\n");
        assertThatThrownBy(() -> ClusterSecret.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("at least " + ClusterSecret.LENGTH + " bytes");
    }
}
