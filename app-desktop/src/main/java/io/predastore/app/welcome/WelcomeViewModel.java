package io.predastore.app.welcome;

import io.predastore.app.service.AdminEndpoint;
import io.predastore.app.service.ClusterAccess;
import io.predastore.app.service.ClusterService;
import io.predastore.app.service.RecentEndpoint;
import io.predastore.app.service.RemoteCluster;
import io.predastore.app.task.Async;
import io.predastore.protocol.config.ClusterConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The welcome screen: create a local dev cluster (and start it), open a cluster file, reopen a remembered one, or
 * connect to a running cluster by one node's admin endpoint and the cluster's credentials. UI thread only.
 */
public final class WelcomeViewModel {
    /** Finds a cluster from an admin endpoint (blocking); {@link ClusterDiscovery#discover} in the app. */
    @FunctionalInterface
    public interface Connector {
        RemoteCluster connect(URI adminEndpoint, ClusterAccess access) throws IOException;
    }

    private final ClusterService cluster;
    private final Async async;
    private final Consumer<ClusterConfig> opened;
    private final IntegerProperty nodes = new SimpleIntegerProperty(5);
    private final IntegerProperty data = new SimpleIntegerProperty(3);
    private final IntegerProperty parity = new SimpleIntegerProperty(2);
    private final StringProperty folder = new SimpleStringProperty();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ObservableList<Path> recent = FXCollections.observableArrayList();
    private final ObservableList<Path> recentView = FXCollections.unmodifiableObservableList(recent);
    private final ObservableList<RecentEndpoint> recentEndpoints = FXCollections.observableArrayList();
    private final ObservableList<RecentEndpoint> recentEndpointsView =
            FXCollections.unmodifiableObservableList(recentEndpoints);
    private final StringProperty endpoint = new SimpleStringProperty("");
    private final StringProperty adminAccessKey = new SimpleStringProperty("");
    private final StringProperty adminSecretKey = new SimpleStringProperty("");
    private final StringProperty s3AccessKey = new SimpleStringProperty("");
    private final StringProperty s3SecretKey = new SimpleStringProperty("");
    private final StringProperty region = new SimpleStringProperty("us-east-1");
    private final StringProperty caCertificate = new SimpleStringProperty("");
    private Connector connector;
    private Consumer<RemoteCluster> connected = c -> { };

    public WelcomeViewModel(ClusterService cluster, Async async, Path defaultFolder, Consumer<ClusterConfig> opened) {
        this.cluster = cluster;
        this.async = async;
        this.opened = opened;
        folder.set(defaultFolder.toString());
    }

    /** Whether the layout can be created: k + m nodes at least, k ≥ 1, m ≥ 0, a folder. */
    public String validate() {
        if (data.get() < 1) {
            return "Need at least 1 data shard";
        }
        if (parity.get() < 0) {
            return "Parity shards cannot be negative";
        }
        if (data.get() + parity.get() > nodes.get()) {
            return "Data + parity (" + (data.get() + parity.get()) + ") must not exceed the nodes (" + nodes.get()
                    + ")";
        }
        if (folder.get() == null || folder.get().isBlank()) {
            return "Choose a folder";
        }
        return null;
    }

    /** Creates the dev cluster in the folder, starts all its nodes and opens it. */
    public void create() {
        String problem = validate();
        if (problem != null) {
            message.set(problem);
            return;
        }
        Path dir = Path.of(folder.get().trim());
        int n = nodes.get();
        int k = data.get();
        int m = parity.get();
        busy.set(true);
        message.set("Creating a " + n + "-node cluster in " + dir + " …");
        async.run("Creating the cluster", () -> {
            ClusterConfig config = cluster.create(dir, n, k, m);
            cluster.startAll();
            return config;
        }, config -> {
            busy.set(false);
            message.set("");
            opened.accept(config);
        }, error -> {
            busy.set(false);
            message.set(error);
        });
    }

    /** Opens an existing cluster file (or folder) and starts its nodes. */
    public void open(Path file) {
        busy.set(true);
        message.set("Opening " + file + " …");
        async.run("Opening " + file, () -> {
            ClusterConfig config = cluster.open(file);
            cluster.startAll();
            return config;
        }, config -> {
            busy.set(false);
            message.set("");
            opened.accept(config);
        }, error -> {
            busy.set(false);
            message.set(error);
        });
    }

    /** How {@link #connect()} finds a cluster, and who gets it. */
    public void setConnector(Connector connector, Consumer<RemoteCluster> connected) {
        this.connector = connector;
        this.connected = connected;
    }

    /**
     * What is wrong with the connect form, or null: a usable endpoint, both key pairs, and a readable CA
     * certificate when one is given (needed for HTTPS; with it, {@code host:port} means HTTPS).
     */
    public String validateConnect() {
        URI uri;
        try {
            uri = AdminEndpoint.parse(endpoint.get(), !blank(caCertificate));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!blank(caCertificate) && !Files.isReadable(Path.of(caCertificate.get().trim()))) {
            return "The CA certificate " + caCertificate.get().trim() + " cannot be read; choose the cluster's "
                    + "tls/ca.pem";
        }
        if (uri.getScheme().equals("https") && blank(caCertificate)) {
            return "Choose the cluster's CA certificate (tls/ca.pem in its folder) to connect over HTTPS";
        }
        if (blank(adminAccessKey) || blank(adminSecretKey)) {
            return "Enter the admin access key and secret (admin_access_key / admin_secret_key in the cluster file)";
        }
        if (blank(s3AccessKey) || blank(s3SecretKey)) {
            return "Enter the S3 access key and secret (access_key / secret_key in the cluster file)";
        }
        if (blank(region)) {
            return "Enter the region (us-east-1 unless the cluster file says otherwise)";
        }
        return null;
    }

    private static boolean blank(StringProperty p) {
        return p.get() == null || p.get().isBlank();
    }

    /** Connects to the cluster of the node at the endpoint; problems show as a message, never a stack trace. */
    public void connect() {
        String problem = validateConnect();
        if (problem != null) {
            message.set(problem);
            return;
        }
        if (connector == null) {
            message.set("Connecting is not available");
            return;
        }
        boolean withCa = !blank(caCertificate);
        URI uri = AdminEndpoint.parse(endpoint.get(), withCa);
        ClusterAccess access = new ClusterAccess(adminAccessKey.get().trim(), adminSecretKey.get().trim(),
                s3AccessKey.get().trim(), s3SecretKey.get().trim(), region.get().trim(),
                withCa ? Path.of(caCertificate.get().trim()) : null);
        Connector c = connector;
        busy.set(true);
        message.set("Connecting to " + AdminEndpoint.display(uri) + " …");
        async.run("Connecting to " + AdminEndpoint.display(uri), () -> c.connect(uri, access), cluster -> {
            busy.set(false);
            message.set("");
            connected.accept(cluster);
        }, error -> {
            busy.set(false);
            message.set(error);
        });
    }

    /** Fills the connect form from a remembered endpoint (the secrets are typed again). */
    public void fill(RecentEndpoint remembered) {
        endpoint.set(remembered.endpoint());
        adminAccessKey.set(remembered.adminAccessKey());
        s3AccessKey.set(remembered.s3AccessKey());
        region.set(remembered.region());
        caCertificate.set(remembered.caCertificate());
        adminSecretKey.set("");
        s3SecretKey.set("");
        message.set("Enter the secrets for " + remembered.endpoint() + " and connect");
    }

    /** Shows the remembered endpoints, most recent first. */
    public void setRecentEndpoints(List<RecentEndpoint> endpoints) {
        recentEndpoints.setAll(endpoints);
    }

    public ObservableList<RecentEndpoint> recentEndpoints() {
        return recentEndpointsView;
    }

    public StringProperty endpointProperty() {
        return endpoint;
    }

    public StringProperty adminAccessKeyProperty() {
        return adminAccessKey;
    }

    public StringProperty adminSecretKeyProperty() {
        return adminSecretKey;
    }

    public StringProperty s3AccessKeyProperty() {
        return s3AccessKey;
    }

    public StringProperty s3SecretKeyProperty() {
        return s3SecretKey;
    }

    public StringProperty regionProperty() {
        return region;
    }

    /** The path of the cluster CA certificate for HTTPS nodes; empty for plain HTTP. */
    public StringProperty caCertificateProperty() {
        return caCertificate;
    }

    /** Shows the remembered cluster files, most recent first. */
    public void setRecent(List<Path> files) {
        recent.setAll(files);
    }

    /** The remembered cluster files, most recent first. */
    public ObservableList<Path> recent() {
        return recentView;
    }

    public IntegerProperty nodesProperty() {
        return nodes;
    }

    public IntegerProperty dataProperty() {
        return data;
    }

    public IntegerProperty parityProperty() {
        return parity;
    }

    public StringProperty folderProperty() {
        return folder;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }
}
