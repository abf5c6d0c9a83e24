package io.predastore.app.cluster;

import io.predastore.node.supervisor.NodeState;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The nodes table with its action buttons and the selected node's log. Add node and Remove node ask first, showing
 * what is expected to move; Remove node says beside it why it is off when the cluster would refuse.
 */
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
        TableColumn<NodeRow, NodeRow> member = new TableColumn<>("Member");
        member.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        member.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(NodeRow item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.memberState());
                setStyle(empty || item == null ? "" : "-fx-text-fill: " + memberColour(item.memberState()) + ";");
            }
        });
        table.getColumns().add(member);
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
        Button add = button("Add node", "node-add", () -> {
            if (confirm("Add node", vm.addPreview())) {
                vm.addNode();
            }
        });
        add.disableProperty().bind(vm.canAddProperty().not());
        Button remove = button("Remove node", "node-remove", () -> {
            Integer id = vm.selectedNodeProperty().get();
            if (id != null && confirm("Remove node-" + id, vm.removePreview())) {
                vm.removeSelected();
            }
        });
        remove.disableProperty().bind(vm.canRemoveProperty().not());
        Label blocked = new Label();
        blocked.setId("node-remove-blocked");
        blocked.setWrapText(true);
        blocked.setStyle("-fx-text-fill: #616161;");
        blocked.textProperty().bind(vm.removeBlockedProperty());
        Separator gap = new Separator(javafx.geometry.Orientation.VERTICAL);
        gap.visibleProperty().bind(vm.membersEditableProperty());
        add.visibleProperty().bind(vm.membersEditableProperty());
        remove.visibleProperty().bind(vm.membersEditableProperty());
        HBox actions = new HBox(8, start, stop, restart, kill, gap, add, remove, blocked);
        actions.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        actions.setPadding(new Insets(8));
        Label members = new Label();
        members.setId("node-members");
        members.textProperty().bind(vm.memberSummaryProperty());
        members.setPadding(new Insets(0, 8, 4, 8));

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

        VBox top = new VBox(table, actions, members);
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

    private boolean confirm(String title, String preview) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, preview, ButtonType.OK, ButtonType.CANCEL);
        alert.setTitle(title);
        alert.setHeaderText(title + "?");
        alert.getDialogPane().setId("member-confirm");
        if (getScene() != null) {
            alert.initOwner(getScene().getWindow());
        }
        return alert.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    /** Joining and draining stand out: the cluster is changing around them. */
    static String memberColour(String memberState) {
        return switch (memberState) {
            case "active" -> "#2e7d32";
            case "joining" -> "#1565c0";
            case "draining" -> "#ef6c00";
            case "removed" -> "#616161";
            default -> "#9e9e9e";
        };
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
