package io.predastore.app.welcome;

import java.io.File;
import java.nio.file.Path;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import io.predastore.app.service.RecentEndpoint;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.PasswordField;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.MouseButton;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

/** Shown while no cluster is open. */
public final class WelcomeView extends VBox {
    public WelcomeView(WelcomeViewModel vm) {
        setId("welcome-view");
        setSpacing(10);
        setPadding(new Insets(24));
        setAlignment(Pos.TOP_CENTER);
        setMaxWidth(640);

        Label title = new Label("Predastore");
        title.setFont(Font.font(null, FontWeight.BOLD, 28));
        Label subtitle = new Label("Run a local cluster, watch its nodes, ring and Raft group, and browse its buckets.");

        Spinner<Integer> nodes = spinner(1, 16, vm.nodesProperty().get(), "welcome-nodes");
        vm.nodesProperty().bind(nodes.valueProperty());
        Spinner<Integer> data = spinner(1, 16, vm.dataProperty().get(), "welcome-data");
        vm.dataProperty().bind(data.valueProperty());
        Spinner<Integer> parity = spinner(0, 15, vm.parityProperty().get(), "welcome-parity");
        vm.parityProperty().bind(parity.valueProperty());
        TextField folder = new TextField();
        folder.setId("welcome-folder");
        folder.textProperty().bindBidirectional(vm.folderProperty());
        HBox.setHgrow(folder, Priority.ALWAYS);
        Button browse = new Button("Choose…");
        browse.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Folder for the new cluster");
            File dir = chooser.showDialog(getScene().getWindow());
            if (dir != null) {
                folder.setText(dir.getAbsolutePath());
            }
        });

        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(8);
        form.addRow(0, new Label("Nodes"), nodes);
        form.addRow(1, new Label("Data shards (k)"), data);
        form.addRow(2, new Label("Parity shards (m)"), parity);
        form.addRow(3, new Label("Folder"), new HBox(6, folder, browse));
        GridPane.setHgrow(form.getChildren().get(form.getChildren().size() - 1), Priority.ALWAYS);

        Button create = new Button("Create local dev cluster");
        create.setId("create-cluster");
        create.setDefaultButton(true);
        create.disableProperty().bind(vm.busyProperty());
        create.setOnAction(e -> vm.create());

        Button open = new Button("Open cluster file…");
        open.setId("open-cluster");
        open.disableProperty().bind(vm.busyProperty());
        open.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Open cluster file");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Cluster file", "*.toml"));
            File file = chooser.showOpenDialog(getScene().getWindow());
            if (file != null) {
                vm.open(file.toPath());
            }
        });

        ListView<Path> recent = new ListView<>(vm.recent());
        recent.setId("welcome-recent");
        recent.setPrefHeight(90);
        recent.disableProperty().bind(vm.busyProperty());
        recent.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(vm.recent()));
        recent.managedProperty().bind(recent.visibleProperty());
        recent.setOnMouseClicked(e -> {
            Path selected = recent.getSelectionModel().getSelectedItem();
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && selected != null) {
                vm.open(selected);
            }
        });
        Label recentTitle = new Label("Recent clusters (double-click to open)");
        recentTitle.visibleProperty().bind(recent.visibleProperty());
        recentTitle.managedProperty().bind(recent.visibleProperty());

        Label connectTitle = new Label("Or connect to a running cluster");
        connectTitle.setFont(Font.font(null, FontWeight.BOLD, 15));
        TextField endpoint = field("connect-endpoint", "host:port of any node's admin API, e.g. 127.0.0.1:9100");
        endpoint.textProperty().bindBidirectional(vm.endpointProperty());
        TextField adminKey = field("connect-admin-key", "admin access key");
        adminKey.textProperty().bindBidirectional(vm.adminAccessKeyProperty());
        PasswordField adminSecret = new PasswordField();
        adminSecret.setId("connect-admin-secret");
        adminSecret.setPromptText("admin secret key");
        adminSecret.textProperty().bindBidirectional(vm.adminSecretKeyProperty());
        TextField s3Key = field("connect-s3-key", "S3 access key");
        s3Key.textProperty().bindBidirectional(vm.s3AccessKeyProperty());
        PasswordField s3Secret = new PasswordField();
        s3Secret.setId("connect-s3-secret");
        s3Secret.setPromptText("S3 secret key");
        s3Secret.textProperty().bindBidirectional(vm.s3SecretKeyProperty());
        TextField region = field("connect-region", "us-east-1");
        region.textProperty().bindBidirectional(vm.regionProperty());
        TextField ca = field("connect-ca", "cluster CA certificate (tls/ca.pem) for HTTPS nodes; empty for HTTP");
        ca.textProperty().bindBidirectional(vm.caCertificateProperty());
        HBox.setHgrow(ca, Priority.ALWAYS);
        Button chooseCa = new Button("Choose…");
        chooseCa.setId("connect-ca-choose");
        chooseCa.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("The cluster's CA certificate");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PEM certificate", "*.pem", "*.crt"));
            File file = chooser.showOpenDialog(getScene().getWindow());
            if (file != null) {
                ca.setText(file.getAbsolutePath());
            }
        });
        GridPane connectForm = new GridPane();
        connectForm.setHgap(10);
        connectForm.setVgap(8);
        connectForm.addRow(0, new Label("Admin endpoint"), endpoint);
        connectForm.addRow(1, new Label("Admin key / secret"), new HBox(6, adminKey, adminSecret));
        connectForm.addRow(2, new Label("S3 key / secret"), new HBox(6, s3Key, s3Secret));
        connectForm.addRow(3, new Label("Region"), region);
        connectForm.addRow(4, new Label("CA certificate"), new HBox(6, ca, chooseCa));
        GridPane.setHgrow(endpoint, Priority.ALWAYS);
        Button connect = new Button("Connect to existing cluster");
        connect.setId("connect-cluster");
        connect.disableProperty().bind(vm.busyProperty());
        connect.setOnAction(e -> vm.connect());
        ComboBox<RecentEndpoint> recentEndpoints = new ComboBox<>(vm.recentEndpoints());
        recentEndpoints.setId("connect-recent");
        recentEndpoints.setPromptText("Recent endpoints");
        recentEndpoints.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(vm.recentEndpoints()));
        recentEndpoints.managedProperty().bind(recentEndpoints.visibleProperty());
        recentEndpoints.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.fill(b);
            }
        });
        HBox connectRow = new HBox(8, connect, recentEndpoints);
        connectRow.setAlignment(Pos.CENTER);

        Label message = new Label();
        message.setId("welcome-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());

        Label createTitle = new Label("Create a local dev cluster");
        createTitle.setFont(Font.font(null, FontWeight.BOLD, 15));
        Label openTitle = new Label("Or open an existing cluster");
        openTitle.setFont(Font.font(null, FontWeight.BOLD, 15));
        getChildren().addAll(title, subtitle, new Separator(), createTitle, form, create, new Separator(), openTitle,
                open, recentTitle, recent, new Separator(), connectTitle, connectForm, connectRow, message);
    }

    private static TextField field(String id, String prompt) {
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText(prompt);
        return f;
    }

    private static Spinner<Integer> spinner(int min, int max, int value, String id) {
        Spinner<Integer> s = new Spinner<>(min, max, value);
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(90);
        return s;
    }
}
