package io.predastore.app.welcome;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.app.service.ClusterAccess;
import io.predastore.app.service.ClusterService;
import io.predastore.app.service.RecentEndpoint;
import io.predastore.app.service.RemoteCluster;
import io.predastore.app.task.DirectAsync;
import io.predastore.node.supervisor.SupervisorSettings;
import io.predastore.protocol.admin.ClusterMember;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectFormTest {
    @TempDir
    Path dir;

    private final List<String> errors = new ArrayList<>();
    private final List<RemoteCluster> connected = new ArrayList<>();
    private final List<URI> asked = new ArrayList<>();

    private WelcomeViewModel vm(ClusterService service, WelcomeViewModel.Connector connector) {
        WelcomeViewModel vm = new WelcomeViewModel(service, DirectAsync.create(errors), dir, c -> { });
        vm.setConnector(connector, connected::add);
        return vm;
    }

    private static void fillIn(WelcomeViewModel vm) {
        vm.endpointProperty().set("127.0.0.1:9100");
        vm.adminAccessKeyProperty().set("AK");
        vm.adminSecretKeyProperty().set("AS");
        vm.s3AccessKeyProperty().set("SK");
        vm.s3SecretKeyProperty().set("SS");
    }

    @Test
    void connect_incompleteForm_saysWhatIsMissingWithoutCalling() {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("x.jar"))) {
            WelcomeViewModel vm = vm(service, (uri, access) -> {
                asked.add(uri);
                throw new IOException("not expected");
            });
            vm.connect();
            assertThat(vm.messageProperty().get()).contains("Enter the admin endpoint");
            vm.endpointProperty().set("127.0.0.1");
            vm.connect();
            assertThat(vm.messageProperty().get()).contains("Add the admin port");
            vm.endpointProperty().set("127.0.0.1:9100");
            vm.connect();
            assertThat(vm.messageProperty().get()).contains("admin access key");
            fillIn(vm);
            vm.s3SecretKeyProperty().set(" ");
            vm.connect();
            assertThat(vm.messageProperty().get()).contains("S3 access key");
            assertThat(asked).isEmpty();
        }
    }

    @Test
    void connect_found_handsTheClusterOn() {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("x.jar"))) {
            List<ClusterAccess> accesses = new ArrayList<>();
            WelcomeViewModel vm = vm(service, (uri, access) -> {
                asked.add(uri);
                accesses.add(access);
                return new RemoteCluster(uri, access, List.of(new ClusterMember("node-1", "127.0.0.1", 9000, 9100)));
            });
            fillIn(vm);
            vm.connect();
            assertThat(asked).containsExactly(URI.create("http://127.0.0.1:9100"));
            assertThat(accesses).containsExactly(new ClusterAccess("AK", "AS", "SK", "SS", "us-east-1"));
            assertThat(connected).hasSize(1);
            assertThat(vm.busyProperty().get()).isFalse();
            assertThat(vm.messageProperty().get()).isEmpty();
        }
    }

    @Test
    void connect_withACaCertificate_meansHttpsAndPassesTheCertificateOn() throws IOException {
        Path ca = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("x.jar"))) {
            List<ClusterAccess> accesses = new ArrayList<>();
            WelcomeViewModel vm = vm(service, (uri, access) -> {
                asked.add(uri);
                accesses.add(access);
                return new RemoteCluster(uri, access, List.of(new ClusterMember("node-1", "127.0.0.1", 9000, 9100)));
            });
            fillIn(vm);
            vm.caCertificateProperty().set(" " + ca + " ");
            vm.connect();
            assertThat(asked).containsExactly(URI.create("https://127.0.0.1:9100"));
            assertThat(accesses).containsExactly(new ClusterAccess("AK", "AS", "SK", "SS", "us-east-1", ca));
        }
    }

    @Test
    void connect_httpsWithoutACaCertificate_orAnUnreadableOne_saysSoWithoutCalling() {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("x.jar"))) {
            WelcomeViewModel vm = vm(service, (uri, access) -> {
                asked.add(uri);
                throw new IOException("not expected");
            });
            fillIn(vm);
            vm.endpointProperty().set("https://127.0.0.1:9100");
            vm.connect();
            assertThat(vm.messageProperty().get()).contains("Choose the cluster's CA certificate");
            vm.caCertificateProperty().set(dir.resolve("missing.pem").toString());
            vm.connect();
            assertThat(vm.messageProperty().get()).contains("cannot be read");
            assertThat(asked).isEmpty();
        }
    }

    @Test
    void connect_refused_showsTheReasonAndStaysOnTheForm() {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("x.jar"))) {
            WelcomeViewModel vm = vm(service, (uri, access) -> {
                throw new IOException("The admin credentials were refused by 127.0.0.1:9100 (InvalidAccessKeyId).");
            });
            fillIn(vm);
            vm.connect();
            assertThat(connected).isEmpty();
            assertThat(vm.busyProperty().get()).isFalse();
            assertThat(vm.messageProperty().get()).contains("admin credentials were refused");
            assertThat(errors).singleElement().asString().contains("admin credentials were refused")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void fill_fromARememberedEndpoint_leavesTheSecretsEmpty() {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("x.jar"))) {
            WelcomeViewModel vm = vm(service, (uri, access) -> null);
            fillIn(vm);
            vm.fill(new RecentEndpoint("10.0.0.5:9100", "AK2", "SK2", "eu-west-1"));
            assertThat(vm.endpointProperty().get()).isEqualTo("10.0.0.5:9100");
            assertThat(vm.adminAccessKeyProperty().get()).isEqualTo("AK2");
            assertThat(vm.s3AccessKeyProperty().get()).isEqualTo("SK2");
            assertThat(vm.regionProperty().get()).isEqualTo("eu-west-1");
            assertThat(vm.adminSecretKeyProperty().get()).isEmpty();
            assertThat(vm.s3SecretKeyProperty().get()).isEmpty();
        }
    }
}
