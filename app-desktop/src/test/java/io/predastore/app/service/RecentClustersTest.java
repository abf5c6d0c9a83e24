package io.predastore.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecentClustersTest {
    @TempDir
    Path tmp;

    @Test
    void missingFileMeansNoRememberedClusters() {
        RecentClusters store = new RecentClusters(tmp.resolve("nowhere"));
        assertThat(store.list()).isEmpty();
        assertThat(store.lastExisting()).isEmpty();
    }

    @Test
    void remembersMostRecentFirstWithoutDuplicatesAndSurvivesANewStore() throws Exception {
        Path dir = tmp.resolve("config");
        RecentClusters store = new RecentClusters(dir);
        Path a = tmp.resolve("a/cluster.toml");
        Path b = tmp.resolve("b/cluster.toml");
        store.remember(a);
        store.remember(b);
        store.remember(a);

        assertThat(store.list()).containsExactly(a, b);
        assertThat(Files.isRegularFile(dir.resolve("settings.json"))).isTrue();
        assertThat(new RecentClusters(dir).list()).containsExactly(a, b);
    }

    @Test
    void keepsAtMostTheNewestEntries() throws Exception {
        RecentClusters store = new RecentClusters(tmp);
        for (int i = 0; i < RecentClusters.MAX + 3; i++) {
            store.remember(tmp.resolve("c" + i + "/cluster.toml"));
        }
        assertThat(store.list()).hasSize(RecentClusters.MAX)
                .startsWith(tmp.resolve("c" + (RecentClusters.MAX + 2) + "/cluster.toml"))
                .doesNotContain(tmp.resolve("c0/cluster.toml"));
    }

    @Test
    void lastExistingOnlyWhenTheNewestFileIsStillThere() throws Exception {
        RecentClusters store = new RecentClusters(tmp.resolve("config"));
        Path file = Files.createFile(tmp.resolve("cluster.toml"));
        store.remember(file);
        assertThat(store.lastExisting()).contains(file);

        Files.delete(file);
        assertThat(store.lastExisting()).isEmpty();
        assertThat(store.list()).containsExactly(file);
    }

    @Test
    void unreadableFileMeansNoRememberedClusters() throws Exception {
        Files.writeString(tmp.resolve("settings.json"), "{not json");
        assertThat(new RecentClusters(tmp).list()).isEmpty();
    }

    @Test
    void configDirFromPropertyThenXdgThenHome() {
        assertThat(RecentClusters.configDir("/p", Map.of("XDG_CONFIG_HOME", "/x"), "/h")).isEqualTo(Path.of("/p"));
        assertThat(RecentClusters.configDir(null, Map.of("XDG_CONFIG_HOME", "/x"), "/h"))
                .isEqualTo(Path.of("/x", "predastore"));
        assertThat(RecentClusters.configDir(null, Map.of(), "/h")).isEqualTo(Path.of("/h", ".config", "predastore"));
    }

    @Test
    void rememberEndpoint_keepsBothListsAndNoSecrets() throws Exception {
        RecentClusters store = new RecentClusters(tmp.resolve("config"));
        Path file = tmp.resolve("c/cluster.toml");
        store.remember(file);
        store.rememberEndpoint(new RecentEndpoint("10.0.0.5:9100", "AK", "SK", "us-east-1"));
        store.rememberEndpoint(new RecentEndpoint("10.0.0.6:9100", "AK", "SK", null));
        store.rememberEndpoint(new RecentEndpoint("10.0.0.5:9100", "AK3", "SK3", "eu-west-1"));
        RecentClusters reread = new RecentClusters(tmp.resolve("config"));
        assertThat(reread.endpoints()).containsExactly(new RecentEndpoint("10.0.0.5:9100", "AK3", "SK3", "eu-west-1"),
                new RecentEndpoint("10.0.0.6:9100", "AK", "SK", "us-east-1"));
        assertThat(reread.list()).containsExactly(file.toAbsolutePath().normalize());
        store.remember(tmp.resolve("d/cluster.toml"));
        assertThat(reread.endpoints()).hasSize(2);
        assertThat(java.nio.file.Files.readString(store.file())).doesNotContainIgnoringCase("secret");
    }
}
