package io.predastore.app.welcome;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.app.service.ClusterService;
import io.predastore.app.task.DirectAsync;
import io.predastore.node.supervisor.SupervisorSettings;
import io.predastore.protocol.config.ClusterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WelcomeViewModelTest {
    @Test
    void rejectsALayoutWiderThanTheCluster(@TempDir Path dir) {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("x.jar"))) {
            List<ClusterConfig> opened = new ArrayList<>();
            WelcomeViewModel vm = new WelcomeViewModel(service, DirectAsync.create(), dir, opened::add);
            vm.nodesProperty().set(4);
            vm.create();
            assertThat(vm.messageProperty().get()).contains("must not exceed the nodes (4)");
            assertThat(opened).isEmpty();
        }
    }

    @Test
    void createWritesTheClusterAndReportsWhyNodesCannotStart(@TempDir Path dir) {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("x.jar"))) {
            List<ClusterConfig> opened = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            WelcomeViewModel vm = new WelcomeViewModel(service, DirectAsync.create(errors), dir.resolve("c"),
                    opened::add);
            vm.create();
            assertThat(Files.exists(dir.resolve("c").resolve("cluster.toml"))).isTrue();
            assertThat(service.config().nodes()).hasSize(5);
            assertThat(service.config().rs().data()).isEqualTo(3);
            assertThat(errors).singleElement().asString().contains("node jar");
            assertThat(vm.busyProperty().get()).isFalse();
        }
    }
}
