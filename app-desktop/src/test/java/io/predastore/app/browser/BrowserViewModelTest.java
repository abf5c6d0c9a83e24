package io.predastore.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.app.task.DirectAsync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrowserViewModelTest {
    @TempDir
    Path tmp;

    private final List<String> errors = new ArrayList<>();
    private final BrowserViewModel vm = new BrowserViewModel(DirectAsync.create(errors), ZoneOffset.UTC);

    private MemoryStore store() {
        MemoryStore store = new MemoryStore()
                .put("photos", "2024/a.jpg", "aaa")
                .put("photos", "2024/b.jpg", "bbbb")
                .put("photos", "2024/summer/c.jpg", "c")
                .put("photos", "readme.txt", "hello")
                .put("photos", "report.pdf", "pdf");
        vm.setService(store);
        vm.selectBucket("photos");
        return store;
    }

    private List<String> names() {
        return vm.entries().stream().map(ObjectRow::name).toList();
    }

    @Test
    void breadcrumb_followsTheFolder() {
        vm.selectBucket("photos");
        vm.navigate("2024/summer/");
        assertThat(vm.crumbs()).containsExactly(new Crumb("photos", ""), new Crumb("2024", "2024/"),
                new Crumb("summer", "2024/summer/"));
        vm.up();
        assertThat(vm.prefixProperty().get()).isEqualTo("2024/");
        vm.up();
        assertThat(vm.prefixProperty().get()).isEmpty();
        assertThat(vm.crumbs()).containsExactly(new Crumb("photos", ""));
    }

    @Test
    void open_object_doesNotNavigate() {
        vm.selectBucket("b");
        vm.open(new ObjectRow("a.txt", "a.txt", false, 1, "1 B", ""));
        assertThat(vm.prefixProperty().get()).isEmpty();
        vm.open(new ObjectRow("docs/", "docs/", true, 0, "", ""));
        assertThat(vm.prefixProperty().get()).isEqualTo("docs/");
    }

    @Test
    void search_narrowsByPrefixWithinTheFolder() {
        MemoryStore store = store();
        assertThat(names()).containsExactly("2024/", "readme.txt", "report.pdf");
        vm.searchProperty().set("re");
        assertThat(store.listedPrefixes).last().isEqualTo("re");
        assertThat(names()).containsExactly("readme.txt", "report.pdf");
        vm.searchProperty().set("rea");
        assertThat(names()).containsExactly("readme.txt");

        vm.searchProperty().set("");
        vm.navigate("2024/");
        vm.searchProperty().set("b");
        assertThat(store.listedPrefixes).last().isEqualTo("2024/b");
        assertThat(names()).containsExactly("b.jpg");
    }

    @Test
    void navigate_clearsTheSearch() {
        store();
        vm.searchProperty().set("20");
        vm.open(vm.entries().get(0));
        assertThat(vm.searchProperty().get()).isEmpty();
        assertThat(names()).containsExactly("summer/", "a.jpg", "b.jpg");
    }

    @Test
    void selection_enablesActionsAndLoadsDetailsForOneObject() {
        store();
        assertThat(vm.hasSelectionProperty().get()).isFalse();
        ObjectRow readme = vm.entries().get(1);
        vm.select(List.of(readme));
        assertThat(vm.singleObjectProperty().get()).isTrue();
        assertThat(vm.detailsProperty().get().size()).isEqualTo(5);
        assertThat(vm.detailsProperty().get().etag()).isEqualTo("etag");
        assertThat(vm.detailsProperty().get().metadata()).containsEntry("owner", "test");

        vm.select(List.of(readme, vm.entries().get(2)));
        assertThat(vm.hasSelectionProperty().get()).isTrue();
        assertThat(vm.singleObjectProperty().get()).isFalse();
        assertThat(vm.detailsProperty().get()).isNull();

        vm.select(List.of(vm.entries().get(0)));
        assertThat(vm.singleObjectProperty().get()).as("a folder has no details").isFalse();
        vm.select(List.of());
        assertThat(vm.hasSelectionProperty().get()).isFalse();
    }

    @Test
    void showPlacement_handsTheDetailsObjectToTheHandler() {
        store();
        AtomicReference<String> shown = new AtomicReference<>();
        vm.setPlacementHandler((b, k) -> shown.set(b + "/" + k));
        vm.showPlacement();
        assertThat(shown.get()).isNull();
        vm.select(List.of(vm.entries().get(2)));
        vm.showPlacement();
        assertThat(shown.get()).isEqualTo("photos/report.pdf");
    }

    @Test
    void downloadSelected_writesObjectsAndFoldersRecursively() throws Exception {
        store();
        vm.select(List.of(vm.entries().get(0), vm.entries().get(1)));
        AtomicReference<Integer> count = new AtomicReference<>();
        vm.downloadSelected(tmp, count::set);
        assertThat(count.get()).isEqualTo(4);
        assertThat(Files.readString(tmp.resolve("readme.txt"))).isEqualTo("hello");
        assertThat(Files.readString(tmp.resolve("2024/b.jpg"))).isEqualTo("bbbb");
        assertThat(Files.readString(tmp.resolve("2024/summer/c.jpg"))).isEqualTo("c");
    }

    @Test
    void deleteSelected_removesObjectsAndFolderContents() {
        MemoryStore store = store();
        vm.select(List.of(vm.entries().get(0), vm.entries().get(2)));
        AtomicReference<Integer> count = new AtomicReference<>();
        vm.deleteSelected(count::set);
        assertThat(count.get()).isEqualTo(4);
        assertThat(store.buckets.get("photos").keySet()).containsExactly("readme.txt");
        assertThat(names()).containsExactly("readme.txt");
    }

    @Test
    void presignSelected_needsOneObject() {
        store();
        AtomicReference<String> url = new AtomicReference<>();
        vm.select(List.of(vm.entries().get(0)));
        vm.presignSelected(url::set);
        assertThat(url.get()).isNull();
        vm.select(List.of(vm.entries().get(1)));
        vm.presignSelected(url::set);
        assertThat(url.get()).isEqualTo("http://memory/photos/readme.txt?X-Amz-Expires=3600");
    }

    @Test
    void upload_folderKeepsRelativeKeysUnderTheCurrentFolder() throws Exception {
        MemoryStore store = store();
        vm.navigate("2024/");
        Path folder = Files.createDirectories(tmp.resolve("trip/day1"));
        Files.writeString(folder.resolve("x.jpg"), "xx");
        Files.writeString(tmp.resolve("trip/notes.txt"), "n");
        Path single = Files.writeString(tmp.resolve("single.bin"), "s");
        vm.upload(List.of(tmp.resolve("trip"), single));
        assertThat(store.buckets.get("photos")).containsKeys("2024/trip/day1/x.jpg", "2024/trip/notes.txt",
                "2024/single.bin");
        assertThat(vm.uploads()).extracting(UploadItem::name)
                .containsExactlyInAnyOrder("trip/day1/x.jpg", "trip/notes.txt", "single.bin");
        assertThat(vm.uploads()).allMatch(u -> u.stateProperty().get() == UploadState.DONE);
        assertThat(vm.uploads()).allMatch(u -> u.progressProperty().get() == 1.0);
        assertThat(names()).contains("trip/", "single.bin");
    }

    @Test
    void cancel_duringUpload_endsCancelledWithNoObject() throws Exception {
        MemoryStore store = store();
        Path big = Files.write(tmp.resolve("big.bin"), new byte[1000]);
        store.midUpload = () -> vm.cancel(vm.uploads().get(0));
        vm.upload(List.of(big));
        UploadItem item = vm.uploads().get(0);
        assertThat(item.stateProperty().get()).isEqualTo(UploadState.CANCELLED);
        assertThat(item.statusProperty().get()).contains("cancelled");
        assertThat(store.buckets.get("photos")).doesNotContainKey("big.bin");
        assertThat(errors).as("a cancel is not an error").isEmpty();
        assertThat(item.cancel()).as("a finished upload cannot be cancelled").isFalse();
    }

    @Test
    void clearFinishedUploads_keepsRunningOnes() throws Exception {
        store();
        vm.upload(List.of(Files.writeString(tmp.resolve("a.txt"), "a")));
        vm.clearFinishedUploads();
        assertThat(vm.uploads()).isEmpty();
    }

    @Test
    void prepareDragOut_namesFilesAtOnceAndMovesThemInPlaceWhenDownloaded() throws Exception {
        store();
        vm.select(List.of(vm.entries().get(0), vm.entries().get(1)));
        AtomicReference<List<java.io.File>> ready = new AtomicReference<>();
        List<java.io.File> files = vm.prepareDragOut(tmp, ready::set);
        assertThat(files).extracting(java.io.File::getName).containsExactly("2024", "readme.txt");
        assertThat(ready.get()).isEqualTo(files);
        assertThat(files.get(1).toPath()).hasContent("hello");
        assertThat(files.get(0).toPath().resolve("summer/c.jpg")).hasContent("c");
        assertThat(files.get(0).toPath().getParent().resolve(".staging")).doesNotExist();
    }
}
