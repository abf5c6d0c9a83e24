package io.predastore.app.cluster;

import io.predastore.node.supervisor.NodeState;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** The nodes table with its action buttons and the selected node's log. */
public final class NodesView extends BorderPane {
    private final TableView<NodeRow> table = new TableView<>();
    private boolean syncing;

    public NodesView(NodesViewModel vm) {
        setId("nodes-view");
        table.setId("nodes-table");
        table.getColumns().add(column("Node", r -> "node-" + r.id()));
        table.getColumns().add(column("S3 address", NodeRow::s3Address));
        TableColumn<NodeRow, NodeRow> state = new TableColumn<>("State");
        state.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        state.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(NodeRow item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.stateText());
                setStyle(empty || item == null ? "" : "-fx-text-fill: " + colour(item.state())
                        + "; -fx-font-weight: bold;");
            }
        });
        table.getColumns().add(state);
        table.getColumns().add(column("Raft role", NodeRow::raftRole));
        table.getColumns().add(column("Uptime", NodeRow::uptime));
        table.getColumns().add(column("Shards", NodeRow::shards));
        table.getColumns().add(column("Disk used", NodeRow::diskUsed));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setItems(vm.rows());

        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (!syncing && b != null) {
                vm.selectedNodeProperty().set(b.id());
            }
        });
        vm.rows().addListener((ListChangeListener<NodeRow>) c -> reselect(vm));
        vm.selectedNodeProperty().addListener((o, a, b) -> reselect(vm));

        Button start = button("Start", "node-start", vm::startSelected);
        start.disableProperty().bind(vm.canStartProperty().not());
        Button stop = button("Stop", "node-stop", vm::stopSelected);
        stop.disableProperty().bind(vm.canStopProperty().not());
        Button restart = button("Restart", "node-restart", vm::restartSelected);
        restart.disableProperty().bind(vm.canRestartProperty().not());
        Button kill = button("Kill", "node-kill", vm::killSelected);
        kill.disableProperty().bind(vm.canStopProperty().not());
        HBox actions = new HBox(8, start, stop, restart, kill);
        actions.setPadding(new Insets(8));

        TextArea log = new TextArea();
        log.setId("node-log");
        log.setEditable(false);
        log.setStyle("-fx-font-family: monospace; -fx-font-size: 11px;");
        log.textProperty().bind(vm.logTailProperty());
        log.textProperty().addListener((o, a, b) -> log.positionCaret(b == null ? 0 : b.length()));
        Label logLabel = new Label();
        logLabel.textProperty().bind(vm.selectedNodeProperty().asString("Log of node-%s (last 200 lines)"));
        VBox logBox = new VBox(4, logLabel, log);
        logBox.setPadding(new Insets(8));
        VBox.setVgrow(log, javafx.scene.layout.Priority.ALWAYS);

        VBox top = new VBox(table, actions);
        VBox.setVgrow(table, javafx.scene.layout.Priority.ALWAYS);
        SplitPane split = new SplitPane(top, logBox);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.55);
        setCenter(split);
    }

    private void reselect(NodesViewModel vm) {
        Integer id = vm.selectedNodeProperty().get();
        if (id == null) {
            return;
        }
        syncing = true;
        try {
            for (int i = 0; i < table.getItems().size(); i++) {
                if (table.getItems().get(i).id() == id) {
                    if (table.getSelectionModel().getSelectedIndex() != i) {
                        table.getSelectionModel().select(i);
                    }
                    return;
                }
            }
        } finally {
            syncing = false;
        }
    }

    public TableView<NodeRow> table() {
        return table;
    }

    private static Button button(String text, String id, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    private static TableColumn<NodeRow, String> column(String title, Function<NodeRow, String> value) {
        TableColumn<NodeRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return c;
    }

    static String colour(NodeState state) {
        return switch (state) {
            case RUNNING -> "#2e7d32";
            case STARTING, STOPPING -> "#ef6c00";
            case STOPPED -> "#616161";
            case FAILED, EXITED -> "#c62828";
        };
    }
}
