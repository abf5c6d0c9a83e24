package io.predastore.app.welcome;

import io.predastore.app.Async;
import io.predastore.app.service.ClusterService;
import io.predastore.protocol.config.ClusterConfig;
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
 * The welcome screen: create a local dev cluster (and start it), open a cluster file, or reopen a remembered one.
 * UI thread only.
 */
public final class WelcomeViewModel {
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
