package io.predastore.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MainTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(Main.COMMON_POOL_PARALLELISM);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(Main.COMMON_POOL_PARALLELISM);
        } else {
            System.setProperty(Main.COMMON_POOL_PARALLELISM, saved);
        }
    }

    @Test
    void commonPoolGetsAtLeastTwoThreads_soAsyncCompletionsReuseThreads() {
        System.clearProperty(Main.COMMON_POOL_PARALLELISM);

        Main.useSharedAsyncPool();

        int parallelism = Integer.parseInt(System.getProperty(Main.COMMON_POOL_PARALLELISM));
        assertThat(parallelism).isGreaterThanOrEqualTo(2)
                .isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors() - 1);
    }

    @Test
    void aParallelismTheUserChoseIsKept() {
        System.setProperty(Main.COMMON_POOL_PARALLELISM, "7");

        Main.useSharedAsyncPool();

        assertThat(System.getProperty(Main.COMMON_POOL_PARALLELISM)).isEqualTo("7");
    }
}
