package io.predastore.app.health;

import io.predastore.app.format.ByteSize;
import io.predastore.protocol.admin.AtRiskObject;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceDialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The health screen, thin over {@link HealthViewModel}: the protection bar with its legend, the summary and when it
 * was computed; the repair queue; the rebalancer's moves onto new nodes and off draining ones; each node's state and scrubber; the objects at risk (double-click or "Show
 * placement" to see one on the ring); each bucket's objects by class; and, for a local dev cluster the app runs,
 * buttons that inject faults after the user confirms.
 */
public final class HealthView extends ScrollPane {
    private static final double ROW_HEIGHT = 26;
    private static final double HEADER_HEIGHT = 30;
    private final TableView<NodeHealthRow> nodeTable = new TableView<>();
    private final TableView<AtRiskObject> atRiskTable = new TableView<>();
    private final TableView<BucketHealthRow> bucketTable = new TableView<>();
    private final ProtectionBar bar;

    public HealthView(HealthViewModel vm) {
        setId("health-view");
        setFitToWidth(true);

        Label message = new Label();
        message.setId("health-message");
        message.getStyleClass().add("health-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());
        message.visibleProperty().bind(vm.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());

        bar = new ProtectionBar(vm.classesProperty());
        bar.setId("protection-bar");
        HBox legend = new HBox(16, legend("legend-full", "protection-full", "Full", vm, ProtectionClasses::full,
                ProtectionClasses::fullBytes), legend("legend-degraded", "protection-degraded", "Degraded", vm,
                ProtectionClasses::degraded, ProtectionClasses::degradedBytes), legend("legend-at-risk",
                "protection-at-risk", "At risk", vm, ProtectionClasses::atRisk, ProtectionClasses::atRiskBytes),
                legend("legend-unreadable", "protection-unreadable", "Unreadable", vm,
                        ProtectionClasses::unreadable, ProtectionClasses::unreadableBytes));
        Label summary = boundLabel("health-summary", vm.summaryProperty());
        summary.getStyleClass().add("health-summary");
        Label computed = boundLabel("health-computed", vm.computedProperty());
        VBox protection = section("Protection", bar, legend, summary, computed);

        ProgressBar repair = new ProgressBar();
        repair.setId("repair-progress");
        repair.setMaxWidth(Double.MAX_VALUE);
        repair.progressProperty().bind(vm.repairProgressProperty());
        GridPane queue = new GridPane();
        queue.setHgap(12);
        queue.setVgap(4);
        queue.addRow(0, new Label("Queued"), boundLabel("repair-queue", vm.queueProperty()));
        queue.addRow(1, new Label("By cause"), boundLabel("repair-causes", vm.causesProperty()));
        queue.addRow(2, new Label("Pace"), boundLabel("repair-pace", vm.paceProperty()));
        queue.addRow(3, new Label("Time left"), boundLabel("repair-eta", vm.etaProperty()));
        VBox repairs = section("Repair queue", queue, repair,
                boundLabel("repair-progress-text", vm.repairProgressTextProperty()));

        ProgressBar moves = new ProgressBar();
        moves.setId("rebalance-progress");
        moves.setMaxWidth(Double.MAX_VALUE);
        moves.progressProperty().bind(vm.rebalanceProgressProperty());
        Label draining = boundLabel("rebalance-draining", vm.drainingProperty());
        draining.visibleProperty().bind(vm.drainingProperty().isNotEmpty());
        draining.managedProperty().bind(draining.visibleProperty());
        VBox rebalance = section("Rebalance (nodes joining and leaving)", boundLabel("rebalance-text",
                vm.rebalanceProperty()), moves, draining);

        buildNodeTable(vm);
        VBox nodeBox = section("Nodes and scrubbing", nodeTable);

        buildBucketTable(vm);
        VBox bucketBox = section("Buckets", bucketTable);

        buildAtRiskTable(vm);
        Button placement = new Button("Show placement");
        placement.setId("at-risk-placement");
        placement.disableProperty().bind(vm.selectedProperty().isNull());
        placement.setOnAction(e -> vm.showPlacement());
        VBox atRiskBox = section("Objects at risk", atRiskTable, placement);

        Button corrupt = new Button("Corrupt a random shard");
        corrupt.setId("dev-corrupt");
        corrupt.setOnAction(e -> {
            if (confirm("Corrupt a random shard", HealthViewModel.corruptConfirmText())) {
                vm.corruptRandomShard();
            }
        });
        Button wipe = new Button("Wipe node's data…");
        wipe.setId("dev-wipe");
        wipe.setOnAction(e -> chooseNode(vm.wipeCandidates()).filter(id -> confirm("Wipe node-" + id,
                HealthViewModel.wipeConfirmText(id))).ifPresent(vm::wipeNode));
        Label devNote = new Label("Dev cluster only: inject faults and watch the cluster find and heal them. What "
                + "was done goes to the Activity log.");
        devNote.setWrapText(true);
        VBox dev = section("Faults (dev cluster)", devNote, new HBox(8, corrupt, wipe));
        dev.setId("health-dev");
        dev.visibleProperty().bind(vm.devFaultsEnabledProperty());
        dev.managedProperty().bind(dev.visibleProperty());

        VBox content = new VBox(14, message, protection, repairs, rebalance, nodeBox, atRiskBox, bucketBox,
                dev);
        content.setPadding(new Insets(12));
        setContent(content);
    }

    private void buildNodeTable(HealthViewModel vm) {
        nodeTable.setId("health-nodes");
        nodeTable.getColumns().add(column("Node", NodeHealthRow::nodeId, 70));
        TableColumn<NodeHealthRow, NodeHealthRow> state = new TableColumn<>("State");
        state.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        state.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(NodeHealthRow item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.state());
                getStyleClass().remove("node-down");
                if (!empty && item != null && item.down()) {
                    getStyleClass().add("node-down");
                }
            }
        });
        state.setPrefWidth(150);
        nodeTable.getColumns().add(state);
        nodeTable.getColumns().add(column("Shards", r -> r.shards() < 0 ? "—" : Long.toString(r.shards()), 70));
        TableColumn<NodeHealthRow, NodeHealthRow> scrub = new TableColumn<>("Scrub pass");
        scrub.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        scrub.setCellFactory(c -> new TableCell<>() {
            private final ProgressBar progress = new ProgressBar();

            @Override
            protected void updateItem(NodeHealthRow item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null || item.scrubProgress() < 0) {
                    setGraphic(null);
                    return;
                }
                progress.setProgress(item.scrubProgress());
                progress.setMaxWidth(Double.MAX_VALUE);
                setGraphic(progress);
            }
        });
        scrub.setPrefWidth(130);
        nodeTable.getColumns().add(scrub);
        nodeTable.getColumns().add(column("Verified", NodeHealthRow::verified, 210));
        nodeTable.getColumns().add(column("Last full pass", NodeHealthRow::lastFullPass, 110));
        nodeTable.getColumns().add(column("Corruptions",
                r -> r.corruptions() < 0 ? "—" : Long.toString(r.corruptions()), 130));
        nodeTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        nodeTable.setItems(vm.nodes());
        fitRows(nodeTable, 3, 20);
    }

    private void buildBucketTable(HealthViewModel vm) {
        bucketTable.setId("health-buckets");
        bucketTable.setPlaceholder(new Label("No bucket"));
        bucketTable.getColumns().add(column("Bucket", BucketHealthRow::bucket, 200));
        bucketTable.getColumns().add(column("Objects", r -> r.objects() + " (" + ByteSize.format(r.bytes()) + ")",
                150));
        bucketTable.getColumns().add(column("Full", r -> Long.toString(r.full()), 90));
        bucketTable.getColumns().add(column("Degraded", r -> Long.toString(r.degraded()), 90));
        bucketTable.getColumns().add(column("At risk", r -> Long.toString(r.atRisk()), 90));
        bucketTable.getColumns().add(column("Unreadable", r -> Long.toString(r.unreadable()), 90));
        bucketTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        bucketTable.setItems(vm.buckets());
        fitRows(bucketTable, 2, 12);
    }

    private void buildAtRiskTable(HealthViewModel vm) {
        atRiskTable.setId("at-risk-table");
        atRiskTable.setPlaceholder(new Label("No object is at risk"));
        atRiskTable.getColumns().add(column("Bucket", AtRiskObject::bucket));
        atRiskTable.getColumns().add(column("Key", AtRiskObject::key));
        atRiskTable.getColumns().add(column("Size", o -> ByteSize.format(o.size())));
        atRiskTable.getColumns().add(column("Healthy shards", o -> o.healthyShards() + "/" + o.totalShards()));
        atRiskTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        atRiskTable.setItems(vm.atRisk());
        fitRows(atRiskTable, 4, 12);
        atRiskTable.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.selectedProperty().set(b));
        atRiskTable.setRowFactory(t -> {
            TableRow<AtRiskObject> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) {
                    vm.selectedProperty().set(row.getItem());
                    vm.showPlacement();
                }
            });
            return row;
        });
    }

    /**
     * Makes a table as tall as its rows, {@code minRows} to {@code maxRows} (call after setting its items), so a
     * short list leaves no empty block and a long one scrolls inside the table.
     */
    private static void fitRows(TableView<?> table, int minRows, int maxRows) {
        table.setFixedCellSize(ROW_HEIGHT);
        table.prefHeightProperty().bind(Bindings.min(maxRows, Bindings.max(minRows, Bindings.size(table.getItems())))
                .multiply(ROW_HEIGHT).add(HEADER_HEIGHT));
        table.minHeightProperty().bind(table.prefHeightProperty());
    }

    private static VBox section(String title, javafx.scene.Node... children) {
        Label heading = new Label(title);
        heading.getStyleClass().add("health-heading");
        VBox box = new VBox(6, heading);
        box.getChildren().addAll(children);
        return box;
    }

    private static Label boundLabel(String id, javafx.beans.value.ObservableStringValue text) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.textProperty().bind(text);
        return l;
    }

    private static Label legend(String id, String styleClass, String name, HealthViewModel vm,
            Function<ProtectionClasses, Long> objects, Function<ProtectionClasses, Long> bytes) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().addAll("protection-legend", styleClass);
        l.textProperty().bind(Bindings.createStringBinding(() -> {
            ProtectionClasses c = vm.classesProperty().get();
            return name + ": " + HealthText.objects(objects.apply(c)) + " (" + ByteSize.format(bytes.apply(c)) + ")";
        }, vm.classesProperty()));
        return l;
    }

    private static <T> TableColumn<T, String> column(String title, Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return c;
    }

    private static <T> TableColumn<T, String> column(String title, Function<T, String> value, double width) {
        TableColumn<T, String> c = column(title, value);
        c.setPrefWidth(width);
        return c;
    }

    private boolean confirm(String title, String text) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, text, ButtonType.OK, ButtonType.CANCEL);
        alert.setTitle(title);
        alert.setHeaderText(title);
        if (getScene() != null) {
            alert.initOwner(getScene().getWindow());
        }
        return alert.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    private Optional<Integer> chooseNode(List<Integer> ids) {
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        ChoiceDialog<Integer> dialog = new ChoiceDialog<>(ids.get(0), ids);
        dialog.setTitle("Wipe node's data");
        dialog.setHeaderText("Which node's data should be wiped?");
        if (getScene() != null) {
            dialog.initOwner(getScene().getWindow());
        }
        return dialog.showAndWait();
    }

    public ProtectionBar bar() {
        return bar;
    }

    public TableView<AtRiskObject> atRiskTable() {
        return atRiskTable;
    }

    public TableView<NodeHealthRow> nodeTable() {
        return nodeTable;
    }
}
