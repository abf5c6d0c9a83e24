package io.predastore.app.browser;

import io.predastore.app.format.ByteSize;
import io.predastore.app.service.ObjectDetails;
import io.predastore.app.task.Notifier;
import java.io.File;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
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
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;

/**
 * Buckets on the left; the current folder's objects (multi-select; drop files and folders here to upload, drag
 * objects out to download), a search field, breadcrumbs, the selected object's details and the uploads with their
 * progress and Cancel buttons.
 */
public final class BrowserView extends BorderPane {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final BrowserViewModel vm;
    private final Notifier notifier;
    private final TableView<ObjectRow> table = new TableView<>();
    private final HBox breadcrumb = new HBox(2);
    private final Path dragRoot = Path.of(System.getProperty("java.io.tmpdir"));
    private Function<Window, File> folderChooser = window -> {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Download into folder");
        return chooser.showDialog(window);
    };
    private Predicate<String> confirmer = text -> {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, text, ButtonType.CANCEL, ButtonType.OK);
        confirm.setHeaderText("Delete");
        return confirm.showAndWait().filter(ButtonType.OK::equals).isPresent();
    };

    public BrowserView(BrowserViewModel vm, Notifier notifier) {
        this.vm = vm;
        this.notifier = notifier;
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
        table.setPlaceholder(new Label("Empty. Drop files or folders here to upload them."));
        table.getColumns().add(column("Name", r -> r.folder() ? "📁 " + r.name() : r.name()));
        table.getColumns().add(column("Size", ObjectRow::sizeText));
        table.getColumns().add(column("Last modified", ObjectRow::lastModified));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setItems(vm.entries());
        table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<ObjectRow>) c ->
                vm.select(table.getSelectionModel().getSelectedItems().stream().filter(Objects::nonNull).toList()));
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
        table.setOnDragDetected(this::onDragDetected);

        Button up = new Button("Up");
        up.setOnAction(e -> vm.up());
        TextField search = new TextField();
        search.setId("object-search");
        search.setPromptText("Search this folder (name starts with…)");
        search.textProperty().bindBidirectional(vm.searchProperty());
        HBox.setHgrow(search, Priority.ALWAYS);
        Button download = new Button("Download…");
        download.setId("download-object");
        download.disableProperty().bind(vm.hasSelectionProperty().not());
        download.setOnAction(e -> downloadSelection());
        Button delete = new Button("Delete…");
        delete.setId("delete-object");
        delete.disableProperty().bind(vm.hasSelectionProperty().not());
        delete.setOnAction(e -> deleteSelection());
        Button link = new Button("Copy presigned URL");
        link.setId("presign-object");
        link.disableProperty().bind(vm.singleObjectProperty().not());
        link.setOnAction(e -> vm.presignSelected(url -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(url);
            Clipboard.getSystemClipboard().setContent(content);
            notifier.info("Copied a presigned URL valid for 1 hour");
        }));
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refresh());
        HBox actions = new HBox(6, up, search, download, delete, link, refresh);
        actions.setAlignment(Pos.CENTER_LEFT);

        breadcrumb.setId("breadcrumb");
        breadcrumb.setAlignment(Pos.CENTER_LEFT);
        vm.crumbs().addListener((ListChangeListener<Crumb>) c -> rebuildCrumbs());

        ListView<UploadItem> uploads = new ListView<>(vm.uploads());
        uploads.setId("upload-list");
        uploads.setPrefHeight(130);
        uploads.setPlaceholder(new Label("Drop files or folders on the table above to upload them into this folder."));
        uploads.setCellFactory(l -> new UploadCell());
        Button clear = new Button("Clear finished");
        clear.setOnAction(e -> vm.clearFinishedUploads());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox uploadsHeader = new HBox(6, new Label("Uploads"), gap, clear);
        uploadsHeader.setAlignment(Pos.CENTER_LEFT);

        VBox details = detailsPanel();
        BorderPane centre = new BorderPane(table);
        centre.setRight(details);
        BorderPane.setMargin(details, new Insets(0, 0, 0, 8));

        VBox right = new VBox(6, breadcrumb, actions, centre, uploadsHeader, uploads);
        right.setPadding(new Insets(8));
        VBox.setVgrow(centre, Priority.ALWAYS);

        SplitPane split = new SplitPane(left, right);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.22);
        setCenter(split);
    }

    private VBox detailsPanel() {
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(4);
        Label size = value("details-size");
        Label etag = value("details-etag");
        Label type = value("details-type");
        Label modified = value("details-modified");
        Label metadata = value("details-metadata");
        grid.addRow(0, key("Size"), size);
        grid.addRow(1, key("ETag"), etag);
        grid.addRow(2, key("Content type"), type);
        grid.addRow(3, key("Last modified"), modified);
        grid.addRow(4, key("Metadata"), metadata);
        Label title = new Label();
        title.setId("details-key");
        title.setWrapText(true);
        title.setStyle("-fx-font-weight: bold;");
        Button placement = new Button("Show placement");
        placement.setId("details-show-placement");
        placement.setOnAction(e -> vm.showPlacement());
        VBox panel = new VBox(8, title, grid, placement);
        panel.setId("object-details");
        panel.setPrefWidth(270);
        panel.setMinWidth(270);
        panel.setPadding(new Insets(8));
        panel.setStyle("-fx-border-color: #c8c8c8; -fx-border-radius: 4;");
        vm.detailsProperty().addListener((o, a, d) -> {
            panel.setVisible(d != null);
            panel.setManaged(d != null);
            if (d == null) {
                return;
            }
            title.setText(d.key());
            size.setText(ByteSize.format(d.size()) + " (" + d.size() + " bytes)");
            etag.setText(d.etag());
            type.setText(d.contentType().isEmpty() ? "—" : d.contentType());
            modified.setText(d.lastModified() == null ? "—"
                    : TIME.format(d.lastModified().atZone(ZoneId.systemDefault())));
            metadata.setText(formatMetadata(d));
        });
        panel.setVisible(false);
        panel.setManaged(false);
        return panel;
    }

    static String formatMetadata(ObjectDetails d) {
        if (d.metadata().isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(d.metadata()).entrySet()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(e.getKey()).append(": ").append(e.getValue());
        }
        return sb.toString();
    }

    private static Label key(String text) {
        Label l = new Label(text);
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static Label value(String id) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.setMaxWidth(150);
        return l;
    }

    private void downloadSelection() {
        if (vm.selection().isEmpty()) {
            return;
        }
        File dir = folderChooser.apply(getScene().getWindow());
        if (dir != null) {
            vm.downloadSelected(dir.toPath(), n -> notifier.info("Downloaded " + n + " file(s) into " + dir));
        }
    }

    private void deleteSelection() {
        List<ObjectRow> rows = List.copyOf(vm.selection());
        if (rows.isEmpty()) {
            return;
        }
        long folders = rows.stream().filter(ObjectRow::folder).count();
        long objects = rows.size() - folders;
        String what = rows.size() == 1 ? rows.get(0).key()
                : objects + " object(s)" + (folders > 0 ? " and " + folders + " folder(s) with everything in them"
                        : "");
        if (confirmer.test("Delete " + what + " from " + vm.bucketProperty().get() + "? This cannot be undone.")) {
            vm.deleteSelected(n -> notifier.info("Deleted " + n + " object(s)"));
        }
    }

    /** Replaces the folder dialog of Download (tests). */
    public void setFolderChooser(Function<Window, File> chooser) {
        this.folderChooser = chooser;
    }

    /** Replaces the delete confirmation dialog (tests). */
    public void setConfirmer(Predicate<String> confirmer) {
        this.confirmer = confirmer;
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

    /**
     * Starts dragging the selection out of the window. A drag must put its files on the dragboard now, but the
     * objects live in the cluster: the view model names the files in a fresh temporary folder at once and
     * downloads into them in the background (each under a staging name, moved into place when complete). A drop
     * on the desktop or a file manager copies the files when the user lets go, by which time small objects are
     * there; a drop before a download finished finds no file rather than a partial one.
     */
    void onDragDetected(MouseEvent event) {
        if (vm.selection().isEmpty()) {
            return;
        }
        List<File> files = vm.prepareDragOut(dragRoot, ready -> notifier.info("Ready to drop: " + ready.size()
                + " item(s)"));
        if (files.isEmpty()) {
            return;
        }
        Dragboard board = table.startDragAndDrop(TransferMode.COPY);
        ClipboardContent content = new ClipboardContent();
        content.putFiles(files);
        board.setContent(content);
        event.consume();
    }

    /** Accepts a copy of dragged files and folders from outside the table while a bucket is open. */
    void onDragOver(DragEvent event) {
        if (event.getGestureSource() != table && event.getDragboard().hasFiles()
                && vm.bucketProperty().get() != null) {
            event.acceptTransferModes(TransferMode.COPY);
        }
        event.consume();
    }

    /** Uploads the dropped files and folders (recursively) into the current folder. */
    void onDragDropped(DragEvent event) {
        boolean ok = false;
        if (event.getGestureSource() != table && event.getDragboard().hasFiles()) {
            vm.upload(event.getDragboard().getFiles().stream().map(File::toPath).toList());
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

    /** One upload: name, progress bar, bytes and speed or final status, and its Cancel button. */
    private final class UploadCell extends ListCell<UploadItem> {
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
            Button cancel = new Button("Cancel");
            cancel.getStyleClass().add("upload-cancel");
            cancel.disableProperty().bind(item.cancellableProperty().not());
            cancel.setOnAction(e -> vm.cancel(item));
            Label name = new Label(item.name());
            name.setMinWidth(160);
            HBox box = new HBox(8, name, bar, status, cancel);
            box.setAlignment(Pos.CENTER_LEFT);
            setGraphic(box);
        }
    }
}
