package io.predastore.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.app.DirectAsync;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BrowserViewModelTest {
    @Test
    void breadcrumbFollowsTheFolder() {
        BrowserViewModel vm = new BrowserViewModel(DirectAsync.create(), ZoneOffset.UTC);
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
    void openingAnObjectDoesNotNavigate() {
        BrowserViewModel vm = new BrowserViewModel(DirectAsync.create(), ZoneOffset.UTC);
        vm.selectBucket("b");
        vm.open(new ObjectRow("a.txt", "a.txt", false, 1, "1 B", ""));
        assertThat(vm.prefixProperty().get()).isEmpty();
        vm.open(new ObjectRow("docs/", "docs/", true, 0, "", ""));
        assertThat(vm.prefixProperty().get()).isEqualTo("docs/");
    }
}
