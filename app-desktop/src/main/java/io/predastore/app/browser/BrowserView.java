package io.predastore.app.browser;

import io.predastore.app.Notifier;
import java.io.File;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputDialog;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/** Buckets on the left; the current folder's objects (drop files here to upload), breadcrumbs and uploads. */
public final class BrowserView extends BorderPane {
    private final BrowserViewModel vm;
    private final TableView<ObjectRow> table = new TableView<>();
    private final HBox breadcrumb = new HBox(2);

    public BrowserView(BrowserViewModel vm, Notifier notifier) {
        this.vm = vm;
        setId("browser-view");

        ListView<String> buckets = new ListView<>(vm.buckets());
        buckets.setId("bucket-list");
        buckets.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && !b.equals(vm.bucketProperty().get())) {
                vm.selectBucket(b);
            }
        });
        vm.bucketProperty().addListener((o, a, b) -> {
            if (b != null && !b.equals(buckets.getSelectionModel().getSelectedItem())) {
                buckets.getSelectionModel().select(b);
            }
        });
        Button create = new Button("Create bucket…");
        create.setId("create-bucket");
        create.setOnAction(e -> {
            TextInputDialog dialog = new TextInputDialog();
            dialog.setTitle("Create bucket");
            dialog.setHeaderText("Name of the new bucket");
            dialog.showAndWait().ifPresent(vm::createBucket);
        });
        Button refreshBuckets = new Button("Refresh");
        refreshBuckets.setOnAction(e -> vm.refreshBuckets());
        Label endpoint = new Label();
        endpoint.textProperty().bind(vm.endpointProperty().concat("").map(s -> "S3 endpoint: " + s));
        endpoint.setWrapText(true);
        VBox left = new VBox(6, new Label("Buckets"), buckets, new HBox(6, create, refreshBuckets), endpoint);
        left.setPadding(new Insets(8));
        VBox.setVgrow(buckets, Priority.ALWAYS);

        table.setId("object-table");
        table.setPlaceholder(new Label("Empty. Drop files here to upload them."));
        table.getColumns().add(column("Name", r -> r.folder() ? "📁 " + r.name() : r.name()));
        table.getColumns().add(column("Size", ObjectRow::sizeText));
        table.getColumns().add(column("Last modified", ObjectRow::lastModified));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setItems(vm.entries());
        table.setRowFactory(t -> {
            TableRow<ObjectRow> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    vm.open(row.getItem());
                }
            });
            return row;
        });
        table.setOnDragOver(this::onDragOver);
        table.setOnDragDropped(this::onDragDropped);

        Button up = new Button("Up");
        up.setOnAction(e -> vm.up());
        Button download = new Button("Download…");
        download.setId("download-object");
        download.setOnAction(e -> {
            ObjectRow row = selectedObject();
            if (row == null) {
                return;
            }
            FileChooser chooser = new FileChooser();
            chooser.setInitialFileName(row.name());
            File target = chooser.showSaveDialog(getScene().getWindow());
            if (target != null) {
                vm.download(row.key(), target.toPath(), () -> notifier.info("Downloaded " + row.key()));
            }
        });
        Button delete = new Button("Delete…");
        delete.setId("delete-object");
        delete.setOnAction(e -> {
            ObjectRow row = selectedObject();
            if (row == null) {
                return;
            }
            Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, "Delete " + row.key() + " from "
                    + vm.bucketProperty().get() + "? This cannot be undone.", ButtonType.CANCEL, ButtonType.OK);
            confirm.setHeaderText("Delete object");
            confirm.showAndWait().filter(ButtonType.OK::equals).ifPresent(b -> vm.delete(row.key()));
        });
        Button link = new Button("Copy link");
        link.setId("presign-object");
        link.setOnAction(e -> {
            ObjectRow row = selectedObject();
            if (row != null) {
                vm.presign(row.key(), url -> {
                    ClipboardContent content = new ClipboardContent();
                    content.putString(url);
                    Clipboard.getSystemClipboard().setContent(content);
                    notifier.info("Copied a link valid for 1 hour");
                });
            }
        });
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refresh());
        HBox actions = new HBox(6, up, download, delete, link, refresh);
        actions.setAlignment(Pos.CENTER_LEFT);

        breadcrumb.setId("breadcrumb");
        breadcrumb.setAlignment(Pos.CENTER_LEFT);
        vm.crumbs().addListener((ListChangeListener<Crumb>) c -> rebuildCrumbs());

        ListView<UploadItem> uploads = new ListView<>(vm.uploads());
        uploads.setId("upload-list");
        uploads.setPrefHeight(110);
        uploads.setPlaceholder(new Label("Drop files on the table above to upload them into this folder."));
        uploads.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(UploadItem item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setGraphic(null);
                    return;
                }
                ProgressBar bar = new ProgressBar();
                bar.progressProperty().bind(item.progressProperty());
                bar.setPrefWidth(160);
                Label status = new Label();
                status.textProperty().bind(item.statusProperty());
                setGraphic(new HBox(8, new Label(item.name()), bar, status));
            }
        });

        VBox right = new VBox(6, breadcrumb, actions, table, new Label("Uploads"), uploads);
        right.setPadding(new Insets(8));
        VBox.setVgrow(table, Priority.ALWAYS);

        SplitPane split = new SplitPane(left, right);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.24);
        setCenter(split);
    }

    private ObjectRow selectedObject() {
        ObjectRow row = table.getSelectionModel().getSelectedItem();
        return row == null || row.folder() ? null : row;
    }

    private void rebuildCrumbs() {
        breadcrumb.getChildren().clear();
        List<Crumb> crumbs = List.copyOf(vm.crumbs());
        for (int i = 0; i < crumbs.size(); i++) {
            Crumb c = crumbs.get(i);
            Hyperlink h = new Hyperlink(c.label());
            h.setOnAction(e -> vm.navigate(c.prefix()));
            breadcrumb.getChildren().add(h);
            if (i < crumbs.size() - 1) {
                breadcrumb.getChildren().add(new Label("/"));
            }
        }
    }

    /** Accepts a copy of dragged files while a bucket is open. */
    void onDragOver(DragEvent event) {
        if (event.getDragboard().hasFiles() && vm.bucketProperty().get() != null) {
            event.acceptTransferModes(TransferMode.COPY);
        }
        event.consume();
    }

    /** Uploads the dropped files into the current folder. */
    void onDragDropped(DragEvent event) {
        boolean ok = false;
        if (event.getDragboard().hasFiles()) {
            vm.upload(event.getDragboard().getFiles().stream().filter(File::isFile).map(File::toPath).toList());
            ok = true;
        }
        event.setDropCompleted(ok);
        event.consume();
    }

    public TableView<ObjectRow> table() {
        return table;
    }

    private static <T> TableColumn<T, String> column(String title, Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return c;
    }
}
