package io.predastore.app.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadPlanTest {
    @TempDir
    Path tmp;

    @Test
    void plan_filesAndFoldersGetKeysUnderThePrefix() throws Exception {
        Files.createDirectories(tmp.resolve("album/2024"));
        Files.createDirectories(tmp.resolve("album/empty"));
        Files.write(tmp.resolve("album/2024/x.jpg"), new byte[7]);
        Files.write(tmp.resolve("album/cover.png"), new byte[3]);
        Files.write(tmp.resolve("notes.txt"), new byte[2]);
        List<UploadPlan.Item> plan = UploadPlan.plan("docs/", List.of(tmp.resolve("album"), tmp.resolve("notes.txt")));
        assertThat(plan).extracting(UploadPlan.Item::key, UploadPlan.Item::size).containsExactly(
                org.assertj.core.groups.Tuple.tuple("docs/album/2024/x.jpg", 7L),
                org.assertj.core.groups.Tuple.tuple("docs/album/cover.png", 3L),
                org.assertj.core.groups.Tuple.tuple("docs/notes.txt", 2L));
    }

    @Test
    void localPath_staysInsideTheTarget() {
        Path base = tmp.resolve("out");
        assertThat(UploadPlan.localPath(base, "docs/", "docs/a/b.txt")).isEqualTo(base.resolve("a").resolve("b.txt"));
        assertThat(UploadPlan.localPath(base, "docs/", "docs/../../etc/passwd"))
                .isEqualTo(base.resolve("etc").resolve("passwd"));
        assertThatThrownBy(() -> UploadPlan.localPath(base, "docs/", "docs/..")).isInstanceOf(
                IllegalArgumentException.class);
    }
}
